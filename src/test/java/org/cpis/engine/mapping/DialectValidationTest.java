package org.cpis.engine.mapping;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** One test per kind of fault: each must come out as {@code file:line: what is wrong}. */
class DialectValidationTest {

    @TempDir
    Path tmp;

    private Path mappings;
    private String dir;

    @BeforeEach
    void setUp() {
        mappings = TestDialects.withDefault(tmp);
        dir = mappings.resolve("dialects").toString();
    }

    private List<String> errors() {
        DialectLoader.Result r = DialectLoader.validate(MappingsSource.directory(mappings).read());
        return r.errors().stream().map(MappingError::toString).toList();
    }

    @Test
    void theProjectMappingsAreValid() {
        DialectLoader.Result r = DialectLoader.validate(MappingsSource.directory(Path.of("mappings")).read());
        assertThat(r.errors()).isEmpty();
        assertThat(r.dialects().all()).hasSizeGreaterThanOrEqualTo(6);
    }

    @Test
    void unknownKey() {
        TestDialects.write(mappings, "bad.yaml", """
                description: typo below
                match:
                  sendingApplication: BAD
                fieldz:
                  nhsNumber:
                    - path: PID-3-1
                """);
        assertThat(errors()).containsExactly(dir + "/bad.yaml:4: unknown key 'fieldz' in dialect (expected one of: "
                + "description, extends, match, timeZone, rules, valueMaps, fields)");
    }

    @Test
    void unknownKeyInsideARule() {
        TestDialects.write(mappings, "bad.yaml", """
                match: {sendingApplication: BAD}
                fields:
                  visitNumber:
                    - path: PV1-19
                      aply: [trim]
                """);
        assertThat(errors()).containsExactly(dir + "/bad.yaml:5: unknown key 'aply' in rule (expected one of: "
                + "rule, path, value, from, where, component, when, apply)");
    }

    @Test
    void unknownAttendanceField() {
        TestDialects.write(mappings, "bad.yaml", """
                match: {sendingApplication: BAD}
                fields:
                  nhsNumbr:
                    - path: PID-2
                """);
        assertThat(errors()).singleElement().asString()
                .startsWith(dir + "/bad.yaml:3: unknown key 'nhsNumbr' in fields (expected one of: messageControlId,");
    }

    @Test
    void badTerserPath() {
        TestDialects.write(mappings, "bad.yaml", """
                match: {sendingApplication: BAD}
                fields:
                  visitNumber:
                    - rule: visit
                      path: PV1.19
                """);
        assertThat(errors()).containsExactly(dir + "/bad.yaml:5: bad HL7 path 'PV1.19': expected terser syntax "
                + "SEG-field[(rep)][-component[-subcomponent]], e.g. PID-3(0)-1");
    }

    @Test
    void badTerserPathInACondition() {
        TestDialects.write(mappings, "bad.yaml", """
                match: {sendingApplication: BAD}
                fields:
                  visitNumber:
                    - path: PV1-19
                      when:
                        path: PV1-0
                        present: true
                """);
        assertThat(errors()).containsExactly(dir + "/bad.yaml:6: bad HL7 path 'PV1-0': fields, components and "
                + "subcomponents are counted from 1");
    }

    @Test
    void unknownFunction() {
        TestDialects.write(mappings, "bad.yaml", """
                match: {sendingApplication: BAD}
                fields:
                  familyName:
                    - path: PID-5-1
                      apply:
                        - trim
                        - shout
                """);
        assertThat(errors()).containsExactly(dir + "/bad.yaml:7: unknown function 'shout' (known: trim, upper, "
                + "lower, digitsOnly, nhsNumber, substring, replace, default, valueMap, date, datetime)");
    }

    @Test
    void functionWithABadArgument() {
        TestDialects.write(mappings, "bad.yaml", """
                match: {sendingApplication: BAD}
                fields:
                  patientClass:
                    - path: PV1-2
                      apply:
                        - valueMap: patientKlass
                """);
        assertThat(errors()).singleElement().asString()
                .startsWith(dir + "/bad.yaml:6: valueMap: valueMap 'patientKlass' is not defined in valueMaps");
    }

    @Test
    void duplicateDialectSelector() {
        TestDialects.write(mappings, "a.yaml", "match:\n  sendingApplication: SAME\n");
        TestDialects.write(mappings, "b.yaml", "description: copy of a\nmatch:\n  sendingApplication: [OTHER, SAME]\n");
        assertThat(errors()).containsExactly(dir + "/b.yaml:2: duplicate dialect selector: sendingApplication=SAME, "
                + "sendingFacility=* is already claimed by dialect 'a'");
    }

    @Test
    void duplicatePatternSelector() {
        TestDialects.write(mappings, "a.yaml", "match: {sendingFacilityPattern: 'RX1.*'}\n");
        TestDialects.write(mappings, "b.yaml", "match: {sendingFacilityPattern: 'RX1.*'}\n");
        assertThat(errors()).singleElement().asString().startsWith(dir + "/b.yaml:1: duplicate dialect selector: pattern");
    }

    @Test
    void yamlSyntax() {
        TestDialects.write(mappings, "bad.yaml", """
                match:
                  sendingApplication: BAD
                fields:
                  visitNumber: [ {path: PV1-19}
                """);
        assertThat(errors()).singleElement().asString().startsWith(dir + "/bad.yaml:5: YAML syntax: ");
    }

    @Test
    void duplicateKey() {
        TestDialects.write(mappings, "bad.yaml", """
                match: {sendingApplication: BAD}
                fields:
                  visitNumber:
                    - path: PV1-19
                  visitNumber:
                    - path: PV1-50
                """);
        assertThat(errors()).containsExactly(dir + "/bad.yaml:5: duplicate key 'visitNumber' in fields");
    }

    @Test
    void typedFieldsNeedTheirConversionFunction() {
        TestDialects.write(mappings, "bad.yaml", """
                match: {sendingApplication: BAD}
                fields:
                  attendanceTime:
                    - path: PV1-44
                      apply: [trim]
                """);
        assertThat(errors()).containsExactly(dir + "/bad.yaml:5: fields.attendanceTime holds a date and time: "
                + "the rule's apply: must end with the datetime function");
    }

    @Test
    void eventKindMapsMustGiveKnownKinds() {
        TestDialects.write(mappings, "bad.yaml", """
                match: {sendingApplication: BAD}
                valueMaps:
                  eventKind:
                    A05: preadmission
                """);
        // reported at the entry in bad.yaml, although the rule using the map is in default.yaml
        assertThat(errors()).containsExactly(dir + "/bad.yaml:4: valueMaps.eventKind maps 'A05' to 'preadmission', "
                + "which is not one of arrival, admission, update, discharge, cancel, merge");
    }

    @Test
    void extendsAMissingDialect() {
        TestDialects.write(mappings, "bad.yaml", "extends: nosuch\nmatch: {sendingApplication: BAD}\n");
        assertThat(errors()).containsExactly(dir + "/bad.yaml:1: extends names dialect 'nosuch', which does not exist");
    }

    @Test
    void missingDefaultDialect() throws Exception {
        Files.delete(mappings.resolve("dialects/default.yaml"));
        TestDialects.write(mappings, "only.yaml", "match: {sendingApplication: ONLY}\n");
        assertThat(errors()).contains(dir + "/default.yaml:0: the default dialect (default.yaml) is missing");
    }
}
