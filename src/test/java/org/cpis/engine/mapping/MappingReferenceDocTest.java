package org.cpis.engine.mapping;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** docs/mapping-reference.md must document every key, field and function the loader accepts. */
class MappingReferenceDocTest {

    @Test
    void everyKeyFieldAndFunctionIsDocumented() throws Exception {
        String doc = Files.readString(Path.of("docs/mapping-reference.md"));
        List<String> names = new ArrayList<>();
        names.addAll(DialectLoader.TOP_KEYS);
        names.addAll(DialectLoader.MATCH_KEYS);
        names.addAll(DialectLoader.RULES_KEYS);
        names.addAll(DialectLoader.RULE_KEYS);
        names.addAll(DialectLoader.CONDITION_KEYS);
        names.addAll(Functions.all().keySet());
        for (TargetField f : TargetField.values()) {
            names.add(f.key());
        }
        for (String n : names) {
            assertThat(doc).as("docs/mapping-reference.md documents %s", n).contains("| `" + n + "`");
        }
    }
}
