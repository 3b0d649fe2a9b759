package org.cpis.engine.mapping;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class Hl7TextTest {

    @Test
    void normaliseTurnsLfAndCrLfIntoCr() {
        assertThat(Hl7Text.normalise("MSH|a\nPID|b\n")).isEqualTo("MSH|a\rPID|b");
        assertThat(Hl7Text.normalise("\uFEFF\r\nMSH|a\r\nPID|b\r\n\r\n")).isEqualTo("MSH|a\rPID|b");
        assertThat(Hl7Text.normalise("MSH|a\rPID|b")).isEqualTo("MSH|a\rPID|b");
    }

    @Test
    void splitStartsANewMessageAtEveryMsh() {
        assertThat(Hl7Text.split("MSH|1\nPID|1\n\nMSH|2\r\nPID|2\r\nMSH|3\rPID|3\r"))
                .containsExactly("MSH|1\rPID|1", "MSH|2\rPID|2", "MSH|3\rPID|3");
        assertThat(Hl7Text.split("\n\n")).isEmpty();
    }

    @Test
    void decodeFollowsMsh18() {
        String utf8 = TestDialects.seg("MSH", 3, "A", 9, "ADT^A04", 12, "2.4", 18, "UNICODE UTF-8") + "\rPID|1||||Zoë";
        assertThat(Hl7Text.decode(utf8.getBytes(StandardCharsets.UTF_8))).endsWith("Zoë");
        String latin = TestDialects.seg("MSH", 3, "A", 9, "ADT^A04", 12, "2.4", 18, "8859/1") + "\rPID|1||||Zoë";
        assertThat(Hl7Text.decode(latin.getBytes(StandardCharsets.ISO_8859_1))).endsWith("Zoë");
        String none = "MSH|^~\\&|A|B|C|D|202401010000||ADT^A04|1|P|2.4\rPID|1||||Zoë";
        assertThat(Hl7Text.decode(none.getBytes(StandardCharsets.UTF_8))).endsWith("Zoë");
    }
}
