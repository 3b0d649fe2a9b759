package org.cpis.engine.flagstore;

import static org.assertj.core.api.Assertions.assertThat;
import static org.cpis.engine.flagstore.FlagStoreHarness.ADMIN;
import static org.cpis.engine.flagstore.FlagStoreHarness.COUNCIL_A;
import static org.cpis.engine.flagstore.FlagStoreHarness.COUNCIL_B;
import static org.cpis.engine.flagstore.FlagStoreHarness.LOOKUP;
import static org.cpis.engine.flagstore.FlagStoreHarness.TODAY;

import ca.uhn.fhir.rest.api.MethodOutcome;
import ca.uhn.fhir.rest.client.api.IGenericClient;
import ca.uhn.fhir.rest.server.exceptions.BaseServerResponseException;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import javax.sql.DataSource;
import org.hl7.fhir.r4.model.AuditEvent;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.CapabilityStatement;
import org.hl7.fhir.r4.model.DateTimeType;
import org.hl7.fhir.r4.model.Encounter;
import org.hl7.fhir.r4.model.Flag;
import org.hl7.fhir.r4.model.IdType;
import org.hl7.fhir.r4.model.OperationOutcome;
import org.hl7.fhir.r4.model.Organization;
import org.hl7.fhir.r4.model.Reference;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * FHIR conformance, access and visibility of the flag store, through the real HAPI FHIR client against
 * the store on the engine's HTTP server. Subclasses supply the database (H2, PostgreSQL).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
public abstract class AbstractFlagStoreIT {
    static final String CHILD = "9434765919";
    static final String UNBORN_MOTHER = "9449305552";
    static final String OTHER_CHILD = "9990000018";
    static final String BY_NHS = "Flag?patient:identifier=" + FhirIds.NHS_NUMBER + "|";
    static final String CHAINED = "Flag?patient.identifier=" + FhirIds.NHS_NUMBER + "|";

    protected FlagStoreHarness h;
    /** Files the tests write; static so it exists before @BeforeAll (one per test class, deleted after it). */
    @org.junit.jupiter.api.io.TempDir
    protected static java.nio.file.Path scratch;

    protected abstract DataSource dataSource() throws Exception;

    protected void stopDatabase() throws Exception {
    }

    @BeforeAll
    void start() throws Exception {
        h = new FlagStoreHarness(dataSource());
    }

    @AfterAll
    void stop() throws Exception {
        if (h != null) {
            h.close();
        }
        stopDatabase();
    }

    @BeforeEach
    void clean() throws Exception {
        h.clean();
    }

    // ------------------------------------------------------------------------------ helpers

    static Flag flag(String ods, String localId, String nhs, String code, LocalDate start, LocalDate end, LocalDate due) {
        return FlagStoreSeeder.flag(ods, localId, nhs, code, start, end, due);
    }

    static Flag cpp(String ods, String localId, String nhs) {
        return flag(ods, localId, nhs, FhirIds.CODE_CPP, TODAY.minusDays(10), null, null);
    }

    IdType create(String token, Flag f) {
        MethodOutcome mo = h.client(token).create().resource(f).execute();
        assertThat(mo.getCreated()).isTrue();
        return (IdType) mo.getId();
    }

    Bundle search(String token, String url) {
        return h.client(token).search().byUrl(url).returnBundle(Bundle.class).execute();
    }

    static List<Flag> flags(Bundle b) {
        return b.getEntry().stream().filter(e -> e.getResource() instanceof Flag).map(e -> (Flag) e.getResource())
                .collect(Collectors.toList());
    }

    /** HTTP status of an interaction: 200 when it succeeds, else the error's status. */
    static int status(Runnable r) {
        try {
            r.run();
            return 200;
        } catch (BaseServerResponseException e) {
            assertThat(e.getOperationOutcome()).as("error %s carries an OperationOutcome", e.getStatusCode()).isNotNull();
            return e.getStatusCode();
        }
    }

    static BaseServerResponseException failure(Runnable r) {
        try {
            r.run();
        } catch (BaseServerResponseException e) {
            return e;
        }
        throw new AssertionError("expected the interaction to fail");
    }

    static List<String> expressions(BaseServerResponseException e) {
        OperationOutcome oo = (OperationOutcome) e.getOperationOutcome();
        List<String> out = new ArrayList<>();
        oo.getIssue().forEach(i -> i.getExpression().forEach(x -> out.add(x.getValue())));
        return out;
    }

    // ------------------------------------------------------------------------------ metadata

    @Test
    void metadataIsOpenAndTruthful() {
        CapabilityStatement cs = h.client(null).capabilities().ofType(CapabilityStatement.class).execute();
        var flag = cs.getRestFirstRep().getResource().stream().filter(r -> r.getType().equals("Flag")).findFirst().orElseThrow();
        assertThat(flag.getConditionalCreate()).isTrue();
        assertThat(flag.getConditionalUpdate()).isTrue();
        assertThat(flag.getSearchInclude()).extracting(x -> x.getValue()).containsExactly("Flag:author", "Flag:subject", "Flag:patient");
        assertThat(flag.getSearchParam()).extracting(p -> p.getName())
                .contains("patient", "identifier", "status", "code", "author", "date", "_lastUpdated");
        assertThat(cs.getRestFirstRep().getResource()).extracting(r -> r.getType())
                .containsExactlyInAnyOrder("Flag", "Patient", "Organization", "Encounter", "AuditEvent");
    }

    @Test
    void noOrUnknownTokenIs401WithOutcome() {
        assertThat(status(() -> search(null, BY_NHS + CHILD))).isEqualTo(401);
        assertThat(status(() -> search("nonsense", BY_NHS + CHILD))).isEqualTo(401);
    }

    @Test
    void plainHttpErrorsCarryAnOperationOutcome() throws Exception {
        java.net.http.HttpClient http = java.net.http.HttpClient.newHttpClient();
        var noToken = http.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(h.base + "/Flag?identifier=x")).build(),
                java.net.http.HttpResponse.BodyHandlers.ofString());
        assertThat(noToken.statusCode()).isEqualTo(401);
        assertThat(noToken.body()).contains("OperationOutcome");
        assertThat(noToken.headers().firstValue("WWW-Authenticate")).hasValueSatisfying(v -> assertThat(v).startsWith("Bearer"));
        var metadata = http.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(h.base + "/metadata")).build(),
                java.net.http.HttpResponse.BodyHandlers.ofString());
        assertThat(metadata.statusCode()).isEqualTo(200);
        var forbidden = http.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(h.base + "/AuditEvent"))
                .header("Authorization", "Bearer " + LOOKUP).build(), java.net.http.HttpResponse.BodyHandlers.ofString());
        assertThat(forbidden.statusCode()).isEqualTo(403);
        assertThat(forbidden.body()).contains("OperationOutcome");
    }

    // ------------------------------------------------------------------------------ Flag interactions

    @Test
    void createLinksSubjectAndAuthorSoBothLookupFormsWork() {
        IdType id = create(COUNCIL_A, cpp("TSTC1", "A-1", CHILD));
        Flag read = h.client(LOOKUP).read().resource(Flag.class).withId(id.getIdPart()).execute();
        assertThat(read.getSubject().getReference()).startsWith("Patient/");
        assertThat(read.getSubject().getIdentifier().getValue()).isEqualTo(CHILD);
        assertThat(read.getAuthor().getReference()).startsWith("Organization/");
        assertThat(read.getAuthor().getIdentifier().getValue()).isEqualTo("TSTC1");
        assertThat(read.getIdentifierFirstRep().getSystem()).isEqualTo(FhirIds.councilFlagIdSystem("TSTC1"));

        assertThat(flags(search(LOOKUP, BY_NHS + CHILD))).hasSize(1);
        assertThat(flags(search(LOOKUP, CHAINED + CHILD))).hasSize(1);
        assertThat(flags(search(LOOKUP, "Flag?patient:identifier=" + CHILD))).hasSize(1);
        assertThat(flags(search(LOOKUP, "Flag?patient=" + read.getSubject().getReference()))).hasSize(1);
        assertThat(flags(search(LOOKUP, "Flag?subject.identifier=" + FhirIds.NHS_NUMBER + "|" + CHILD))).hasSize(1);
        assertThat(flags(search(LOOKUP, BY_NHS + "9449306753"))).isEmpty();
        assertThat(flags(search(LOOKUP, "Flag?author.identifier=" + FhirIds.ODS_CODE + "|TSTC1"))).hasSize(1);
        assertThat(flags(search(LOOKUP, "Flag?author:identifier=TSTC2"))).isEmpty();
        assertThat(flags(search(LOOKUP, "Flag?author=" + read.getAuthor().getReference()))).hasSize(1);
        assertThat(flags(search(LOOKUP, "Flag?identifier=" + FhirIds.councilFlagIdSystem("TSTC1") + "|A-1"))).hasSize(1);
        assertThat(flags(search(LOOKUP, "Flag?identifier=A-2"))).isEmpty();
        assertThat(flags(search(LOOKUP, "Flag?code=" + FhirIds.SNOMED + "|" + FhirIds.CODE_CPP))).hasSize(1);
        assertThat(flags(search(LOOKUP, "Flag?code=" + FhirIds.CODE_LAC))).isEmpty();
        assertThat(flags(search(LOOKUP, "Flag?date=" + TODAY))).hasSize(1);
        assertThat(flags(search(LOOKUP, "Flag?date=lt" + TODAY.minusDays(20)))).isEmpty();
        assertThat(flags(search(LOOKUP, "Flag?_lastUpdated=ge" + TODAY))).hasSize(1);
        assertThat(flags(search(LOOKUP, "Flag?_lastUpdated=gt" + TODAY.plusDays(1)))).isEmpty();
        assertThat(flags(search(LOOKUP, "Flag?_id=" + id.getIdPart()))).hasSize(1);
        assertThat(flags(search(LOOKUP, BY_NHS + CHILD + "&status=active"))).hasSize(1);
    }

    @Test
    void unknownSearchParameterIs400() {
        BaseServerResponseException e = failure(() -> search(LOOKUP, "Flag?colour=red"));
        assertThat(e.getStatusCode()).isEqualTo(400);
        assertThat(e.getMessage()).contains("colour");
    }

    @Test
    void updateKeepsVersionsForVreadAndHistory() {
        IdType id = create(COUNCIL_A, cpp("TSTC1", "A-1", CHILD));
        Flag f = h.client(COUNCIL_A).read().resource(Flag.class).withId(id.getIdPart()).execute();
        f.getPeriod().setEndElement(new DateTimeType(TODAY.toString()));
        f.setStatus(Flag.FlagStatus.INACTIVE);
        MethodOutcome mo = h.client(COUNCIL_A).update().resource(f).execute();
        assertThat(mo.getId().getVersionIdPart()).isEqualTo("2");

        Flag v1 = h.client(COUNCIL_A).read().resource(Flag.class).withIdAndVersion(id.getIdPart(), "1").execute();
        assertThat(v1.getStatus()).isEqualTo(Flag.FlagStatus.ACTIVE);
        Flag v2 = h.client(COUNCIL_A).read().resource(Flag.class).withId(id.getIdPart()).execute();
        assertThat(v2.getStatus()).isEqualTo(Flag.FlagStatus.INACTIVE);
        assertThat(v2.getMeta().getVersionId()).isEqualTo("2");
        Bundle hist = h.client(COUNCIL_A).history().onInstance(new IdType("Flag", id.getIdPart())).returnBundle(Bundle.class).execute();
        assertThat(hist.getEntry()).hasSize(2);
        assertThat(status(() -> h.client(COUNCIL_A).read().resource(Flag.class).withIdAndVersion(id.getIdPart(), "9").execute()))
                .isEqualTo(404);
    }

    @Test
    void conditionalCreateAndUpdateOnTheCouncilsOwnIdentifier() {
        String cond = "Flag?identifier=" + FhirIds.councilFlagIdSystem("TSTC1") + "|A-7";
        MethodOutcome first = h.client(COUNCIL_A).create().resource(cpp("TSTC1", "A-7", CHILD)).conditionalByUrl(cond).execute();
        MethodOutcome again = h.client(COUNCIL_A).create().resource(cpp("TSTC1", "A-7", CHILD)).conditionalByUrl(cond).execute();
        assertThat(first.getCreated()).isTrue();
        assertThat(again.getCreated()).isNotEqualTo(Boolean.TRUE);
        assertThat(again.getId().getIdPart()).isEqualTo(first.getId().getIdPart());

        Flag changed = flag("TSTC1", "A-7", CHILD, FhirIds.CODE_LAC, TODAY.minusDays(5), null, null);
        MethodOutcome upd = h.client(COUNCIL_A).update().resource(changed).conditionalByUrl(cond).execute();
        assertThat(upd.getId().getIdPart()).isEqualTo(first.getId().getIdPart());
        assertThat(upd.getId().getVersionIdPart()).isEqualTo("2");

        String newCond = "Flag?identifier=" + FhirIds.councilFlagIdSystem("TSTC1") + "|A-8";
        MethodOutcome created = h.client(COUNCIL_A).update().resource(cpp("TSTC1", "A-8", CHILD)).conditionalByUrl(newCond).execute();
        assertThat(created.getCreated()).isTrue();
        assertThat(flags(search(LOOKUP, BY_NHS + CHILD))).hasSize(2);
    }

    @Test
    void deleteSetsEnteredInError() {
        IdType id = create(COUNCIL_A, cpp("TSTC1", "A-1", CHILD));
        h.client(COUNCIL_A).delete().resourceById(new IdType("Flag", id.getIdPart())).execute();
        Flag f = h.client(COUNCIL_A).read().resource(Flag.class).withId(id.getIdPart()).execute();
        assertThat(f.getStatus()).isEqualTo(Flag.FlagStatus.ENTEREDINERROR);
        assertThat(f.getMeta().getVersionId()).isEqualTo("2");
        assertThat(flags(search(LOOKUP, BY_NHS + CHILD + "&status=active"))).isEmpty();
        assertThat(flags(search(LOOKUP, BY_NHS + CHILD + "&status=entered-in-error"))).hasSize(1);
    }

    @Test
    void countPagesThroughEveryResult() {
        for (int i = 0; i < 5; i++) {
            create(COUNCIL_A, cpp("TSTC1", "P-" + i, CHILD));
        }
        IGenericClient c = h.client(LOOKUP);
        Bundle page = search(LOOKUP, BY_NHS + CHILD + "&_count=2");
        assertThat(page.getTotal()).isEqualTo(5);
        List<String> ids = new ArrayList<>();
        int pages = 0;
        while (true) {
            pages++;
            flags(page).forEach(f -> ids.add(f.getIdElement().getIdPart()));
            if (page.getLink(Bundle.LINK_NEXT) == null) {
                break;
            }
            page = c.loadPage().next(page).execute();
        }
        assertThat(pages).isEqualTo(3);
        assertThat(ids).hasSize(5).doesNotHaveDuplicates();
        // Someone else may not read the lookup's pages.
        Bundle first = search(LOOKUP, BY_NHS + CHILD + "&_count=2");
        assertThat(status(() -> h.client(COUNCIL_B).loadPage().next(first).execute())).isEqualTo(403);
    }

    @Test
    void includeAuthorAddsTheCouncil() {
        create(ADMIN, cpp("TSTC1", "A-1", CHILD));
        Bundle b = search(LOOKUP, BY_NHS + CHILD + "&_include=Flag:author");
        List<Organization> orgs = b.getEntry().stream().filter(e -> e.getResource() instanceof Organization)
                .map(e -> (Organization) e.getResource()).collect(Collectors.toList());
        assertThat(orgs).hasSize(1);
        assertThat(orgs.get(0).getIdentifierFirstRep().getValue()).isEqualTo("TSTC1");
        assertThat(b.getEntry().stream().filter(e -> e.getResource() instanceof Organization).findFirst().orElseThrow()
                .getSearch().getMode()).isEqualTo(Bundle.SearchEntryMode.INCLUDE);
        assertThat(flags(search(LOOKUP, BY_NHS + CHILD))).hasSize(1);
        assertThat(search(LOOKUP, BY_NHS + CHILD).getEntry()).hasSize(1);
    }

    @Test
    void includeSubjectAddsThePatient() {
        // The lookup's flag index asks for subjects, as it must against stores with literal references only.
        create(ADMIN, cpp("TSTC1", "A-1", CHILD));
        Bundle b = search(LOOKUP, "Flag?_include=Flag:subject");
        List<org.hl7.fhir.r4.model.Patient> patients = b.getEntry().stream()
                .filter(e -> e.getResource() instanceof org.hl7.fhir.r4.model.Patient)
                .map(e -> (org.hl7.fhir.r4.model.Patient) e.getResource()).collect(Collectors.toList());
        assertThat(patients).hasSize(1);
        assertThat(patients.get(0).getIdentifierFirstRep().getValue()).isEqualTo(CHILD);
        assertThat(search(LOOKUP, "Flag?_include=Flag:author").getEntry())
                .noneMatch(e -> e.getResource() instanceof org.hl7.fhir.r4.model.Patient);
    }

    // ------------------------------------------------------------------------------ validation

    @Test
    void invalidFlagsAre422NamingTheElement() {
        Flag unknownCode = cpp("TSTC1", "V-1", CHILD);
        unknownCode.getCode().getCodingFirstRep().setCode("12345");
        assertThat(expressions(failure(() -> create(COUNCIL_A, unknownCode)))).containsExactly("Flag.code");

        Flag noNhs = cpp("TSTC1", "V-2", CHILD);
        noNhs.setSubject(null);
        BaseServerResponseException e = failure(() -> create(COUNCIL_A, noNhs));
        assertThat(e.getStatusCode()).isEqualTo(422);
        assertThat(expressions(e)).containsExactly("Flag.subject.identifier");

        Flag badNhs = cpp("TSTC1", "V-3", "9434765918");
        e = failure(() -> create(COUNCIL_A, badNhs));
        assertThat(e.getStatusCode()).isEqualTo(422);
        assertThat(expressions(e)).containsExactly("Flag.subject.identifier");
        assertThat(e.getMessage()).doesNotContain("9434765918");

        Flag endBeforeStart = flag("TSTC1", "V-4", CHILD, FhirIds.CODE_CPP, TODAY, TODAY.minusDays(1), null);
        assertThat(expressions(failure(() -> create(COUNCIL_A, endBeforeStart)))).containsExactly("Flag.period");

        Flag otherCouncil = cpp("TSTC2", "V-5", CHILD);
        e = failure(() -> create(COUNCIL_A, otherCouncil));
        assertThat(e.getStatusCode()).isEqualTo(422);
        assertThat(expressions(e)).containsExactly("Flag.author");

        assertThat(flags(search(ADMIN, BY_NHS + CHILD))).isEmpty();
    }

    // ------------------------------------------------------------------------------ bundles

    @Test
    void transactionIsAtomic() {
        Bundle tx = new Bundle().setType(Bundle.BundleType.TRANSACTION);
        tx.addEntry().setResource(cpp("TSTC1", "T-1", CHILD)).getRequest().setMethod(Bundle.HTTPVerb.POST).setUrl("Flag");
        tx.addEntry().setResource(cpp("TSTC1", "T-2", "9434765918")).getRequest().setMethod(Bundle.HTTPVerb.POST).setUrl("Flag");
        BaseServerResponseException e = failure(() -> h.client(COUNCIL_A).transaction().withBundle(tx).execute());
        assertThat(e.getStatusCode()).isEqualTo(422);
        assertThat(e.getMessage()).contains("Bundle.entry[1]");
        assertThat(flags(search(ADMIN, BY_NHS + CHILD))).isEmpty();

        tx.getEntry().get(1).setResource(cpp("TSTC1", "T-2", CHILD));
        Bundle resp = h.client(COUNCIL_A).transaction().withBundle(tx).execute();
        assertThat(resp.getType()).isEqualTo(Bundle.BundleType.TRANSACTIONRESPONSE);
        assertThat(resp.getEntry()).allSatisfy(x -> assertThat(x.getResponse().getStatus()).startsWith("201"));
        assertThat(flags(search(ADMIN, BY_NHS + CHILD))).hasSize(2);
    }

    @Test
    void batchAppliesGoodEntriesAndReportsBadOnes() {
        Bundle batch = new Bundle().setType(Bundle.BundleType.BATCH);
        batch.addEntry().setResource(cpp("TSTC1", "B-1", CHILD)).getRequest().setMethod(Bundle.HTTPVerb.PUT)
                .setUrl("Flag?identifier=" + FhirIds.councilFlagIdSystem("TSTC1") + "|B-1");
        batch.addEntry().setResource(cpp("TSTC1", "B-2", "123")).getRequest().setMethod(Bundle.HTTPVerb.PUT)
                .setUrl("Flag?identifier=" + FhirIds.councilFlagIdSystem("TSTC1") + "|B-2");
        Bundle resp = h.client(COUNCIL_A).transaction().withBundle(batch).execute();
        assertThat(resp.getEntry().get(0).getResponse().getStatus()).startsWith("201");
        assertThat(resp.getEntry().get(1).getResponse().getStatus()).startsWith("422");
        OperationOutcome oo = (OperationOutcome) resp.getEntry().get(1).getResponse().getOutcome();
        assertThat(oo.getIssueFirstRep().getExpression().get(0).getValue()).isEqualTo("Flag.subject.identifier");
        assertThat(flags(search(ADMIN, BY_NHS + CHILD))).hasSize(1);
    }

    // ------------------------------------------------------------------------------ access matrix

    @Test
    void accessMatrixOnFlags() {
        IdType id = create(COUNCIL_A, cpp("TSTC1", "M-1", CHILD));
        String fid = id.getIdPart();
        String[] callers = {COUNCIL_A, COUNCIL_B, LOOKUP, ADMIN, null};
        int[] read = {200, 403, 200, 200, 401};
        int[] history = {200, 403, 200, 200, 401};
        int[] createForA = {200, 422, 403, 200, 401};
        int[] update = {200, 403, 403, 200, 401};
        int[] delete = {200, 403, 403, 200, 401};
        for (int i = 0; i < callers.length; i++) {
            String t = callers[i];
            int n = i;
            assertThat(status(() -> h.client(t).read().resource(Flag.class).withId(fid).execute())).as("read %s", t).isEqualTo(read[i]);
            assertThat(status(() -> h.client(t).read().resource(Flag.class).withIdAndVersion(fid, "1").execute())).as("vread %s", t)
                    .isEqualTo(read[i]);
            assertThat(status(() -> h.client(t).history().onInstance(new IdType("Flag", fid)).returnBundle(Bundle.class).execute()))
                    .as("history %s", t).isEqualTo(history[i]);
            assertThat(status(() -> h.client(t).create().resource(cpp("TSTC1", "M-new-" + n, CHILD)).execute()))
                    .as("create %s", t).isEqualTo(createForA[i]);
            Flag f = h.client(ADMIN).read().resource(Flag.class).withId(fid).execute();
            f.getCode().setText("changed by " + t);
            assertThat(status(() -> h.client(t).update().resource(f).execute())).as("update %s", t).isEqualTo(update[i]);
        }
        // Search: councils see only their own flags; no token is 401.
        assertThat(flags(search(COUNCIL_A, BY_NHS + CHILD))).hasSize(3);
        assertThat(flags(search(COUNCIL_B, BY_NHS + CHILD))).isEmpty();
        assertThat(flags(search(LOOKUP, BY_NHS + CHILD))).hasSize(3);
        assertThat(flags(search(ADMIN, CHAINED + CHILD))).hasSize(3);
        for (int i = 0; i < callers.length; i++) {
            String t = callers[i];
            assertThat(status(() -> h.client(t).delete().resourceById(new IdType("Flag", fid)).execute())).as("delete %s", t)
                    .isEqualTo(delete[i]);
        }
    }

    @Test
    void accessMatrixOnOtherResources() {
        create(COUNCIL_A, cpp("TSTC1", "M-1", CHILD));
        Organization org = FlagStoreSeeder.council(FlagStoreSeeder.DEMO_COUNCILS.get(1));
        String[] callers = {COUNCIL_A, COUNCIL_B, LOOKUP, ADMIN, null};
        int[] orgWrite = {403, 403, 403, 200, 401};
        int[] encounterCreate = {403, 403, 200, 200, 401};
        int[] auditSearch = {200, 200, 403, 200, 401};
        for (int i = 0; i < callers.length; i++) {
            String t = callers[i];
            assertThat(status(() -> h.client(t).update().resource(org)
                    .conditionalByUrl("Organization?identifier=" + FhirIds.ODS_CODE + "|TSTC2").execute()))
                    .as("organization write %s", t).isEqualTo(orgWrite[i]);
            assertThat(status(() -> h.client(t).create().resource(encounter(CHILD, "2026-06-01T10:00:00Z", "V" + t)).execute()))
                    .as("encounter create %s", t).isEqualTo(encounterCreate[i]);
            assertThat(status(() -> search(t, "AuditEvent?_count=5"))).as("audit search %s", t).isEqualTo(auditSearch[i]);
            assertThat(status(() -> search(t, "Organization?identifier=TSTC1"))).as("organization search %s", t)
                    .isEqualTo(t == null ? 401 : 200);
        }
        String encSearch = "Encounter?patient.identifier=" + FhirIds.NHS_NUMBER + "|" + CHILD;
        assertThat(search(COUNCIL_A, encSearch).getEntry()).hasSize(2);
        assertThat(search(COUNCIL_B, encSearch).getEntry()).isEmpty();
        assertThat(search(LOOKUP, encSearch).getEntry()).hasSize(2);
        String patientId = search(LOOKUP, "Patient?identifier=" + CHILD).getEntryFirstRep().getResource().getIdElement().getIdPart();
        assertThat(status(() -> h.client(COUNCIL_A).read().resource("Patient").withId(patientId).execute())).isEqualTo(200);
        assertThat(status(() -> h.client(COUNCIL_B).read().resource("Patient").withId(patientId).execute())).isEqualTo(403);
    }

    // ------------------------------------------------------------------------------ attendance history

    static Encounter encounter(String nhs, String start, String visit) {
        Encounter e = new Encounter();
        e.setStatus(Encounter.EncounterStatus.ARRIVED);
        e.getClass_().setSystem("http://terminology.hl7.org/CodeSystem/v3-ActCode").setCode("EMER");
        e.addIdentifier().setSystem("https://cpis-engine.org/fhir/Id/visit/RX1CC").setValue(visit);
        e.setSubject(new Reference().setIdentifier(new org.hl7.fhir.r4.model.Identifier().setSystem(FhirIds.NHS_NUMBER).setValue(nhs)));
        e.getPeriod().setStartElement(new DateTimeType(start));
        e.setServiceProvider(new Reference().setIdentifier(new org.hl7.fhir.r4.model.Identifier()
                .setSystem(FhirIds.ODS_CODE).setValue("RX1CC")).setDisplay("Test General Hospital ED"));
        return e;
    }

    @Test
    void lastTwentyFiveAttendancesNewestFirst() {
        for (int i = 0; i < 30; i++) {
            h.client(LOOKUP).create().resource(encounter(CHILD, String.format("2026-05-%02dT10:00:00Z", i + 1), "V" + i)).execute();
        }
        Bundle b = search(LOOKUP, "Encounter?patient.identifier=" + FhirIds.NHS_NUMBER + "|" + CHILD + "&_sort=-date&_count=25");
        assertThat(b.getEntry()).hasSize(25);
        Encounter first = (Encounter) b.getEntryFirstRep().getResource();
        assertThat(first.getIdentifierFirstRep().getValue()).isEqualTo("V29");
        assertThat(first.getSubject().getReference()).startsWith("Patient/");
        assertThat(search(LOOKUP, "Encounter?patient:identifier=" + CHILD + "&_count=25").getEntry()).hasSize(25);
        // A repeated attendance (same visit identifier) is recorded once.
        MethodOutcome again = h.client(LOOKUP).create().resource(encounter(CHILD, "2026-05-30T10:00:00Z", "V29"))
                .conditionalByUrl("Encounter?identifier=https://cpis-engine.org/fhir/Id/visit/RX1CC|V29").execute();
        assertThat(again.getCreated()).isNotEqualTo(Boolean.TRUE);
    }

    // ------------------------------------------------------------------------------ audit

    @Test
    void everyReadAndWriteIsAuditedAndCouncilsSeeTheirOwn() {
        IdType id = create(COUNCIL_A, cpp("TSTC1", "AU-1", CHILD));
        h.client(LOOKUP).read().resource(Flag.class).withId(id.getIdPart()).execute();
        search(LOOKUP, BY_NHS + CHILD);
        create(COUNCIL_B, cpp("TSTC2", "AU-2", OTHER_CHILD));

        Bundle a = search(COUNCIL_A, "AuditEvent?entity=Flag/" + id.getIdPart());
        List<AuditEvent> events = a.getEntry().stream().map(e -> (AuditEvent) e.getResource()).collect(Collectors.toList());
        assertThat(events).extracting(e -> e.getSubtypeFirstRep().getCode())
                .containsExactlyInAnyOrder("create", "read", "search-type");
        AuditEvent read = events.stream().filter(e -> e.getSubtypeFirstRep().getCode().equals("read")).findFirst().orElseThrow();
        assertThat(read.getAgentFirstRep().getWho().getDisplay()).isEqualTo("lookup");
        assertThat(read.getAgentFirstRep().getNetwork().getAddress()).isEqualTo("127.0.0.1");
        assertThat(read.getEntityFirstRep().getWhat().getReference()).isEqualTo("Flag/" + id.getIdPart() + "/_history/1");
        assertThat(read.getRecorded()).isNotNull();
        AuditEvent created = events.stream().filter(e -> e.getSubtypeFirstRep().getCode().equals("create")).findFirst().orElseThrow();
        assertThat(created.getAgentFirstRep().getWho().getIdentifier().getValue()).isEqualTo("TSTC1");

        // Council A never sees the audit of council B's flag, and cannot read it by id.
        Bundle all = search(COUNCIL_A, "AuditEvent?_count=100");
        assertThat(all.getEntry()).allSatisfy(e -> assertThat(((AuditEvent) e.getResource()).getEntityFirstRep().getName())
                .isEqualTo("council TSTC1"));
        Bundle b = search(COUNCIL_B, "AuditEvent?_count=100");
        assertThat(b.getEntry()).hasSize(1);
        String bAudit = b.getEntryFirstRep().getResource().getIdElement().getIdPart();
        assertThat(status(() -> h.client(COUNCIL_A).read().resource(AuditEvent.class).withId(bAudit).execute())).isEqualTo(403);
        assertThat(search(ADMIN, "AuditEvent?_count=100").getEntry()).hasSize(all.getEntry().size() + 1);
    }

    // ------------------------------------------------------------------------------ visibility

    @Test
    void endedPlanVisibleOnDay365NotDay366() {
        LocalDate end = TODAY.minusDays(1);
        create(COUNCIL_A, flag("TSTC1", "VIS-1", CHILD, FhirIds.CODE_CPP, end.minusDays(100), end, null));
        h.clock.set(end.plusDays(365));
        assertThat(flags(search(LOOKUP, BY_NHS + CHILD + "&status=active"))).hasSize(1);
        assertThat(flags(search(LOOKUP, BY_NHS + CHILD + "&status=inactive"))).isEmpty();
        h.clock.set(end.plusDays(366));
        assertThat(flags(search(LOOKUP, BY_NHS + CHILD + "&status=active"))).isEmpty();
        assertThat(flags(search(LOOKUP, BY_NHS + CHILD + "&status=inactive"))).hasSize(1);
        assertThat(flags(search(LOOKUP, BY_NHS + CHILD))).as("without status every flag comes back").hasSize(1);
    }

    @Test
    void unbornFlagVisibleUntilDueDatePlus28() {
        LocalDate due = TODAY.plusDays(10);
        create(COUNCIL_B, flag("TSTC2", "UNB-1", UNBORN_MOTHER, FhirIds.CODE_UNBORN, TODAY.minusDays(30), null, due));
        h.clock.set(due.plusDays(28));
        assertThat(flags(search(LOOKUP, CHAINED + UNBORN_MOTHER + "&status=active"))).hasSize(1);
        h.clock.set(due.plusDays(29));
        assertThat(flags(search(LOOKUP, CHAINED + UNBORN_MOTHER + "&status=active"))).isEmpty();
    }

    @Test
    void seedingTheDemoIsIdempotentAndMatchesTheSampleIdentities() {
        assertThat(FlagStoreSeeder.seedDemo(h.server)).isEqualTo(9);
        assertThat(FlagStoreSeeder.seedDemo(h.server)).isZero();
        assertThat(flags(search(LOOKUP, BY_NHS + "9434765919&status=active"))).hasSize(1);
        assertThat(flags(search(LOOKUP, BY_NHS + "9449305552&status=active"))).hasSize(1);
        assertThat(flags(search(LOOKUP, BY_NHS + "9990000018&status=active"))).hasSize(1);
        assertThat(flags(search(LOOKUP, BY_NHS + "9990000026&status=active"))).hasSize(1);
        assertThat(flags(search(LOOKUP, BY_NHS + "9990000034&status=active"))).isEmpty();
        assertThat(flags(search(LOOKUP, BY_NHS + "9990000042&status=active"))).hasSize(1);
        assertThat(flags(search(LOOKUP, BY_NHS + "9449306753"))).isEmpty();
        Organization tstc1 = (Organization) search(LOOKUP, "Organization?identifier=" + FhirIds.ODS_CODE + "|TSTC1")
                .getEntryFirstRep().getResource();
        assertThat(tstc1.getName()).isEqualTo("Testshire County Council");
        assertThat(tstc1.getTelecom()).extracting(t -> t.getExtensionByUrl(FhirIds.EXT_CONTACT_PURPOSE).getValue().primitiveValue())
                .containsExactly(FhirIds.PURPOSE_OFFICE_HOURS, FhirIds.PURPOSE_EMERGENCY_DUTY_TEAM);
    }

    // ------------------------------------------------------------------------------ CSV upload

    static final java.nio.file.Path SAMPLES = java.nio.file.Path.of("samples", "flags");

    java.nio.file.Path copySample(String name) throws Exception {
        java.nio.file.Path dir = java.nio.file.Files.createTempDirectory(scratch, "flags");
        return java.nio.file.Files.copy(SAMPLES.resolve(name), dir.resolve(name));
    }

    int cli(String... args) {
        return org.cpis.engine.cli.CpisEngine.execute(args);
    }

    static List<String> codes(java.nio.file.Path resultFile) throws Exception {
        List<String> lines = java.nio.file.Files.readAllLines(resultFile);
        List<String> out = new ArrayList<>();
        for (String line : lines.subList(1, lines.size())) {
            String[] f = line.split(",(?=(?:[^\"]*\"[^\"]*\")*[^\"]*$)");
            out.add(f[0] + "," + f[5]);
        }
        return out;
    }

    static List<String> expected(String sample) throws Exception {
        List<String> lines = java.nio.file.Files.readAllLines(SAMPLES.resolve(sample.replace(".csv", ".expected.csv")));
        return lines.subList(1, lines.size());
    }

    @Test
    void everySampleUploadGivesItsExpectedCodes() throws Exception {
        String[][] samples = {{"TSTC1-flags.csv", "TSTC1", COUNCIL_A}, {"TSTC2-flags.csv", "TSTC2", COUNCIL_B},
            {"TSTC9-flags.csv", "TSTC9", ADMIN}, {"TSTC1-mixed.csv", "TSTC1", COUNCIL_A}};
        for (String[] sm : samples) {
            java.nio.file.Path file = copySample(sm[0]);
            int exit = cli("import-flags", file.toString(), "--council", sm[1], "--url", h.base, "--token", sm[2], "--mappings", "mappings");
            List<String> want = expected(sm[0]);
            assertThat(codes(org.cpis.engine.flagstore.csv.FlagImporter.resultFileOf(file))).as(sm[0]).isEqualTo(want);
            assertThat(exit).as(sm[0]).isEqualTo(want.get(0).endsWith("F00") ? 0 : 1);
        }
        assertThat(flags(search(LOOKUP, BY_NHS + CHILD))).hasSize(2);
        assertThat(flags(search(LOOKUP, CHAINED + UNBORN_MOTHER))).hasSize(1);
        assertThat(flags(search(LOOKUP, BY_NHS + "9990000042"))).hasSize(1);
    }

    @Test
    void reimportUpdatesAndResultFileMasksNhsNumbers() throws Exception {
        java.nio.file.Path file = copySample("TSTC1-flags.csv");
        assertThat(cli("import-flags", file.toString(), "--council", "TSTC1", "--url", h.base, "--token", COUNCIL_A)).isZero();
        assertThat(cli("import-flags", file.toString(), "--council", "TSTC1", "--url", h.base, "--token", COUNCIL_A)).isZero();
        java.nio.file.Path result = org.cpis.engine.flagstore.csv.FlagImporter.resultFileOf(file);
        assertThat(codes(result)).containsExactly("0,F00", "1,A02", "2,A02", "3,A02");
        String text = java.nio.file.Files.readString(result);
        assertThat(text).contains("943****919").doesNotContain("9434765919");
        assertThat(flags(search(LOOKUP, "Flag?author:identifier=TSTC1"))).hasSize(3);
    }

    @Test
    void fileWithoutRequiredColumnsIsRejectedWhole() throws Exception {
        java.nio.file.Path file = java.nio.file.Files.createTempDirectory(scratch, "flags").resolve("bad.csv");
        java.nio.file.Files.writeString(file, "id,nhs\nX,9434765919\n");
        assertThat(cli("import-flags", file.toString(), "--council", "TSTC1", "--url", h.base, "--token", COUNCIL_A)).isEqualTo(1);
        assertThat(java.nio.file.Files.readString(org.cpis.engine.flagstore.csv.FlagImporter.resultFileOf(file)))
                .contains("F02").contains("local_id");
        assertThat(flags(search(ADMIN, BY_NHS + CHILD))).isEmpty();
        assertThat(cli("import-flags", "no-such-file.csv", "--council", "TSTC1")).isEqualTo(2);
    }

    @Test
    void replaceRetiresFlagsMissingFromTheFile() throws Exception {
        java.nio.file.Path file = copySample("TSTC1-flags.csv");
        assertThat(cli("import-flags", file.toString(), "--council", "TSTC1", "--url", h.base, "--token", COUNCIL_A)).isZero();
        create(COUNCIL_B, cpp("TSTC2", "B-keep", OTHER_CHILD));
        java.nio.file.Path smaller = file.resolveSibling("smaller.csv");
        java.nio.file.Files.writeString(smaller, "local_id,nhs_number,flag_type,start_date,end_date,expected_due_date\n"
                + "TSTC1-CPP-0001,9434765919,CPP,2026-05-09,,\nTSTC1-NEW-1,9990000018,LAC,2026-05-09,,\n");
        assertThat(cli("import-flags", smaller.toString(), "--council", "TSTC1", "--url", h.base, "--token", COUNCIL_A, "--replace"))
                .isZero();
        assertThat(codes(org.cpis.engine.flagstore.csv.FlagImporter.resultFileOf(smaller))).containsExactly("0,F00", "1,A02", "2,A01");
        assertThat(flags(search(LOOKUP, "Flag?author:identifier=TSTC1&status=active,inactive"))).extracting(f -> f.getIdentifierFirstRep().getValue())
                .containsExactlyInAnyOrder("TSTC1-CPP-0001", "TSTC1-NEW-1");
        assertThat(flags(search(LOOKUP, "Flag?author:identifier=TSTC1&status=entered-in-error"))).hasSize(2);
        assertThat(flags(search(LOOKUP, "Flag?author:identifier=TSTC2&status=active"))).hasSize(1);
    }

    @Test
    void failedReplaceLeavesTheOldSetInPlace() throws Exception {
        java.nio.file.Path file = copySample("TSTC1-flags.csv");
        assertThat(cli("import-flags", file.toString(), "--council", "TSTC1", "--url", h.base, "--token", COUNCIL_A)).isZero();
        List<String> before = flags(search(ADMIN, "Flag?author:identifier=TSTC1")).stream()
                .map(f -> f.getIdElement().getIdPart() + "/" + f.getMeta().getVersionId() + "/" + f.getStatus()).sorted()
                .collect(Collectors.toList());
        java.nio.file.Path other = file.resolveSibling("other.csv");
        java.nio.file.Files.writeString(other, "local_id,nhs_number,flag_type,start_date,end_date,expected_due_date\n"
                + "TSTC1-X,9990000018,LAC,2026-05-09,,\n");
        // Council B's token cannot replace council A's flags: the whole transaction is refused.
        assertThat(cli("import-flags", other.toString(), "--council", "TSTC1", "--url", h.base, "--token", COUNCIL_B, "--replace"))
                .isEqualTo(1);
        assertThat(codes(org.cpis.engine.flagstore.csv.FlagImporter.resultFileOf(other))).containsExactly("0,F03", "1,R92");
        // A replace whose file has no valid row is refused before anything is sent.
        java.nio.file.Files.writeString(other, "local_id,nhs_number,flag_type,start_date,end_date,expected_due_date\n"
                + "TSTC1-X,123,LAC,2026-05-09,,\n");
        assertThat(cli("import-flags", other.toString(), "--council", "TSTC1", "--url", h.base, "--token", COUNCIL_A, "--replace"))
                .isEqualTo(1);
        assertThat(codes(org.cpis.engine.flagstore.csv.FlagImporter.resultFileOf(other))).containsExactly("0,F02", "1,R02");
        List<String> after = flags(search(ADMIN, "Flag?author:identifier=TSTC1")).stream()
                .map(f -> f.getIdElement().getIdPart() + "/" + f.getMeta().getVersionId() + "/" + f.getStatus()).sorted()
                .collect(Collectors.toList());
        assertThat(after).isEqualTo(before).hasSize(3);
    }

    @Test
    void dropFolderImportsAsTheCouncil() throws Exception {
        java.nio.file.Path root = java.nio.file.Files.createTempDirectory(scratch, "flag-drop");
        java.nio.file.Path council = java.nio.file.Files.createDirectories(root.resolve("TSTC2"));
        try (var drop = new org.cpis.engine.flagstore.csv.FlagDropFolder(root,
                org.cpis.engine.flagstore.csv.FlagCsvLayout.load(java.nio.file.Path.of("mappings")),
                h.server.bundleProcessor(), java.time.Duration.ofMillis(50))) {
            drop.start();
            java.nio.file.Files.copy(SAMPLES.resolve("TSTC2-flags.csv"), council.resolve("TSTC2-flags.csv"));
            org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(20))
                    .until(() -> java.nio.file.Files.exists(council.resolve("processed").resolve("TSTC2-flags.result.csv")));
        }
        assertThat(java.nio.file.Files.exists(council.resolve("TSTC2-flags.csv"))).isFalse();
        assertThat(codes(council.resolve("processed").resolve("TSTC2-flags.result.csv"))).isEqualTo(expected("TSTC2-flags.csv"));
        assertThat(flags(search(LOOKUP, "Flag?author:identifier=TSTC2"))).hasSize(2);
        Bundle audit = search(COUNCIL_B, "AuditEvent?_count=10");
        List<AuditEvent> creates = audit.getEntry().stream().map(e -> (AuditEvent) e.getResource())
                .filter(e -> e.getSubtypeFirstRep().getCode().equals("create")).collect(Collectors.toList());
        assertThat(creates).hasSize(2).allSatisfy(e -> {
            assertThat(e.getAgentFirstRep().getNetwork().getAddress()).isEqualTo("flag-drop");
            assertThat(e.getAgentFirstRep().getWho().getIdentifier().getValue()).isEqualTo("TSTC2");
        });
    }
}
