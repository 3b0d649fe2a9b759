package org.cpis.engine.mapping;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/**
 * Field reading: each message, segment and repetition keeps its own values, whatever was read
 * before it (the engine reads many messages on one thread).
 */
class ParsedMessageTest {
    private static final String MSH = "MSH|^~\\&|PAS|RX1|CPIS|CPIS|20261203101500||ADT^A04^ADT_A01|C1|P|2.4\r";

    private static String get(ParsedMessage m, String path) {
        return m.get(FieldPath.compile(path));
    }

    @Test
    void componentsOfAnEarlierMessageDoNotShowInALaterOne() throws Exception {
        ParsedMessage first = Hl7Parser.parse(MSH + "PID|1||9434765919^^^NHS^NH~M123^^^RX1^MR||CHILD^TEST\r");
        assertThat(get(first, "PID-3-5")).isEqualTo("NH");
        assertThat(get(first, "PID-3(1)-1")).isEqualTo("M123");

        ParsedMessage second = Hl7Parser.parse(MSH + "PID|1||9434765919||CHILD^TEST\r");
        assertThat(get(second, "PID-3-1")).isEqualTo("9434765919");
        assertThat(get(second, "PID-3-5")).isNull();
        assertThat(get(second, "PID-3(1)-1")).isNull();
        assertThat(second.repetitions(FieldPath.compile("PID-3"))).isEqualTo(1);
    }

    @Test
    void aMessageReadAfterAnotherWasParsedKeepsItsOwnValues() throws Exception {
        ParsedMessage first = Hl7Parser.parse(MSH + "PID|1||1111111111^^^NHS^NH||FIRST^CHILD\r");
        ParsedMessage second = Hl7Parser.parse(MSH + "PID|1||2222222222^^^NHS^NH||SECOND^CHILD\r");
        assertThat(get(second, "PID-5-1")).isEqualTo("SECOND");
        assertThat(get(first, "PID-5-1")).isEqualTo("FIRST");
        assertThat(get(first, "PID-3-1")).isEqualTo("1111111111");
        assertThat(get(second, "PID-3-1")).isEqualTo("2222222222");
    }

    @Test
    void segmentsOfOneNameReadInTurnKeepTheirOwnValues() throws Exception {
        ParsedMessage m = Hl7Parser.parse(MSH + "NK1|1|MOTHER^ANNE|MTH\rNK1|2|FATHER^BOB|FTH\rZU1|A^B|C\rZU1|D\r");
        assertThat(get(m, "NK1(1)-2-1")).isEqualTo("FATHER");
        assertThat(get(m, "NK1-2-1")).isEqualTo("MOTHER");
        assertThat(get(m, "NK1(1)-3-1")).isEqualTo("FTH");
        assertThat(get(m, "NK1-2-2")).isEqualTo("ANNE");
        assertThat(get(m, "ZU1-1-2")).isEqualTo("B");
        assertThat(get(m, "ZU1(1)-1-1")).isEqualTo("D");
        assertThat(get(m, "ZU1(1)-1-2")).isNull();
        assertThat(get(m, "ZU1-2")).isEqualTo("C");
    }

    @Test
    void eachRepetitionIsReadOnItsOwn() throws Exception {
        ParsedMessage m = Hl7Parser.parse(MSH + "PID|1||A^^^RX1^MR~B~C^^^NHS^NH||CHILD^TEST||20200101~20210101\r");
        assertThat(m.repetitions(FieldPath.compile("PID-3"))).isEqualTo(3);
        assertThat(get(m, "PID-3(1)-4")).isNull();
        assertThat(get(m, "PID-3(2)-5")).isEqualTo("NH");
        assertThat(get(m, "PID-3-4")).isEqualTo("RX1");
        assertThat(m.repetitions(FieldPath.compile("PID-7"))).isEqualTo(2);
        assertThat(get(m, "PID-7(1)")).isEqualTo("20210101");
    }

    @Test
    void aFieldPastTheSegmentClassesLastIsStillRead() throws Exception {
        // v2.5.1's PID defines 39 fields; a 40th is read all the same.
        ParsedMessage m = Hl7Parser.parse(MSH + "PID" + "|".repeat(40) + "EXTRA^TWO\r");
        assertThat(get(m, "PID-40-2")).isEqualTo("TWO");
        ParsedMessage next = Hl7Parser.parse(MSH + "PID|1||9434765919\r");
        assertThat(get(next, "PID-40")).isNull();
        assertThat(get(next, "PID-3")).isEqualTo("9434765919");
    }
}
