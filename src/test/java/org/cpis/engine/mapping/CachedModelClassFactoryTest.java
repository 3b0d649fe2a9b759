package org.cpis.engine.mapping;

import static org.assertj.core.api.Assertions.assertThat;

import ca.uhn.hl7v2.model.Message;
import ca.uhn.hl7v2.model.v251.message.ADT_A01;
import ca.uhn.hl7v2.model.v251.segment.PID;
import ca.uhn.hl7v2.parser.CanonicalModelClassFactory;
import ca.uhn.hl7v2.parser.ModelClassFactory;
import ca.uhn.hl7v2.parser.PipeParser;
import ca.uhn.hl7v2.validation.impl.ValidationContextFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class CachedModelClassFactoryTest {

    private final CachedModelClassFactory cached = new CachedModelClassFactory("2.5.1");
    private final CanonicalModelClassFactory plain = new CanonicalModelClassFactory("2.5.1");

    @Test
    void answersAsHapisOwnFactoryDoesAndRemembersEachAnswerOnce() throws Exception {
        assertThat(cached.getSegmentClass("PID", "2.3")).isEqualTo(PID.class).isEqualTo(plain.getSegmentClass("PID", "2.3"));
        assertThat(cached.getMessageClass("ADT_A04", "2.4", false)).isEqualTo(ADT_A01.class)
                .isEqualTo(plain.getMessageClass("ADT_A04", "2.4", false));
        assertThat(cached.getTypeClass("CX", "2.5.1")).isEqualTo(plain.getTypeClass("CX", "2.5.1"));
        assertThat(cached.getGroupClass("ADT_A01_PROCEDURE", "2.5.1")).isEqualTo(plain.getGroupClass("ADT_A01_PROCEDURE", "2.5.1"));
        // A Z-segment has no class: "none" is an answer too, and is remembered.
        assertThat(plain.getSegmentClass("ZU1", "2.4")).isNull();
        assertThat(cached.getSegmentClass("ZU1", "2.4")).isNull();
        assertThat(cached.remembered()).isEqualTo(5);

        assertThat(cached.getSegmentClass("ZU1", "2.4")).isNull();
        assertThat(cached.getSegmentClass("PID", "2.3")).isEqualTo(PID.class);
        assertThat(cached.remembered()).isEqualTo(5);
    }

    @Test
    void parsesEverySampleToTheSameMessageAsHapisOwnFactory() throws Exception {
        int compared = 0;
        try (var files = Files.walk(Path.of("samples"))) {
            for (Path f : files.filter(p -> p.toString().endsWith(".hl7")).sorted().toList()) {
                String text = Hl7Text.normalise(Files.readString(f, java.nio.charset.StandardCharsets.ISO_8859_1));
                for (String one : Hl7Text.split(text)) {
                    Message viaCache = parser(cached).parse(one);
                    Message viaHapi = parser(plain).parse(one);
                    assertThat(viaCache.getClass()).as(f.toString()).isEqualTo(viaHapi.getClass());
                    assertThat(viaCache.printStructure()).as(f.toString()).isEqualTo(viaHapi.printStructure());
                    compared++;
                }
            }
        }
        assertThat(compared).isGreaterThan(10);
    }

    @Test
    void stopsRememberingAtItsLimitButStillAnswers() throws Exception {
        for (int i = 0; i < CachedModelClassFactory.MAX_ENTRIES + 50; i++) {
            assertThat(cached.getSegmentClass("Z" + i, "2.5.1")).isNull();
        }
        assertThat(cached.remembered()).isEqualTo(CachedModelClassFactory.MAX_ENTRIES);
        assertThat(cached.getSegmentClass("PID", "2.5.1")).isEqualTo(PID.class);
    }

    private static PipeParser parser(ModelClassFactory factory) {
        PipeParser p = new PipeParser(factory);
        p.setValidationContext(ValidationContextFactory.noValidation());
        return p;
    }
}
