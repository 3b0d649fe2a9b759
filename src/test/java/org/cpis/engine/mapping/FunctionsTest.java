package org.cpis.engine.mapping;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The closed set of functions, each on its own. */
class FunctionsTest {

    private static final Functions.Context CTX = new Functions.Context(ZoneId.of("Europe/London"),
            Map.of("kinds", Map.of("A04", "arrival"), "withStar", Map.of("E", "emergency", "*", "other")));

    private static String run(String name, Object arg, String value) {
        return Functions.find(name).factory().create(arg, CTX).apply(value);
    }

    @Test
    void textFunctions() {
        assertThat(run("trim", null, "  RX1CC ")).isEqualTo("RX1CC");
        assertThat(run("trim", null, "   ")).isNull();
        assertThat(run("upper", null, "rx1cc")).isEqualTo("RX1CC");
        assertThat(run("lower", null, "E")).isEqualTo("e");
        assertThat(run("digitsOnly", null, "943-476 5919x")).isEqualTo("9434765919");
        assertThat(run("nhsNumber", null, " 943 476-5919 ")).isEqualTo("9434765919");
        assertThat(run("substring", List.of("0", "3"), "RX1CC")).isEqualTo("RX1");
        assertThat(run("substring", List.of("3"), "RX1CC")).isEqualTo("CC");
        assertThat(run("substring", List.of("9"), "RX1CC")).isNull();
        assertThat(run("replace", Map.of("pattern", "^NHS-", "with", ""), "NHS-9434765919")).isEqualTo("9434765919");
        assertThat(run("default", "RX1", null)).isEqualTo("RX1");
        assertThat(run("default", "RX1", "RX2")).isEqualTo("RX2");
    }

    @Test
    void valueMapUsesStarForUnlistedValues() {
        assertThat(run("valueMap", "kinds", "A04")).isEqualTo("arrival");
        assertThat(run("valueMap", "kinds", "A05")).isNull();
        assertThat(run("valueMap", "withStar", "Q")).isEqualTo("other");
        assertThatThrownBy(() -> run("valueMap", "nosuch", "A04")).hasMessageContaining("valueMap 'nosuch' is not defined");
    }

    @Test
    void dateAndDatetime() {
        assertThat(run("date", null, "20150612")).isEqualTo("2015-06-12");
        assertThat(run("date", null, "201506121030")).isEqualTo("2015-06-12");
        assertThat(run("date", null, "2015-06-12")).isNull();
        assertThat(run("date", List.of("dd/MM/yyyy"), "12/06/2015")).isEqualTo("2015-06-12");
        assertThat(run("datetime", null, "202407141322")).isEqualTo("2024-07-14T13:22:00+01:00");
        assertThat(run("datetime", null, "20240714132205.1234+0000")).isEqualTo("2024-07-14T13:22:05.1234Z");
        assertThat(run("datetime", null, "20241314")).isNull();
        assertThat(run("datetime", List.of("dd/MM/yyyy HH:mm"), "20/09/2024 09:25")).isEqualTo("2024-09-20T09:25:00+01:00");
        assertThat(run("datetime", List.of("yyyy-MM-dd'T'HH:mmXXX"), "2024-09-20T09:25+02:00"))
                .isEqualTo("2024-09-20T09:25:00+02:00");
    }

    @Test
    void badArgumentsAreRefusedWhenCompiled() {
        assertThatThrownBy(() -> run("replace", Map.of("pattern", "("), "x")).hasMessageContaining("not a valid regular expression");
        assertThatThrownBy(() -> run("substring", List.of("a"), "x")).hasMessageContaining("not a number");
        assertThatThrownBy(() -> run("datetime", List.of("yyyy-MM-dd ppp"), "x")).hasMessageContaining("not valid");
    }
}
