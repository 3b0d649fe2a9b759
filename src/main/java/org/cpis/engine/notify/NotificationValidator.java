package org.cpis.engine.notify;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.context.support.DefaultProfileValidationSupport;
import ca.uhn.fhir.validation.FhirValidator;
import ca.uhn.fhir.validation.ResultSeverityEnum;
import ca.uhn.fhir.validation.SingleValidationMessage;
import ca.uhn.fhir.validation.ValidationResult;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.hl7.fhir.common.hapi.validation.support.CommonCodeSystemsTerminologyService;
import org.hl7.fhir.common.hapi.validation.support.InMemoryTerminologyServerValidationSupport;
import org.hl7.fhir.common.hapi.validation.support.PrePopulatedValidationSupport;
import org.hl7.fhir.common.hapi.validation.support.SnapshotGeneratingValidationSupport;
import org.hl7.fhir.common.hapi.validation.support.ValidationSupportChain;
import org.hl7.fhir.common.hapi.validation.validator.FhirInstanceValidator;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.r4.model.OperationOutcome;

/**
 * Validates notification messages against FHIR R4 core and the project's own profiles, CodeSystem,
 * ValueSet and MessageDefinitions (src/main/resources/fhir/). Building one is slow (seconds: it loads
 * the core definitions); make one and share it — {@link #validate} is thread-safe.
 * Used by the builder's tests, by the council receiver and by anyone who wants to check a message.
 */
public final class NotificationValidator {

    /** Conformance resources shipped with the engine, by classpath name. */
    public static final List<String> CONFORMANCE_RESOURCES = List.of(
            "fhir/CodeSystem-cpis-notification-event.json",
            "fhir/ValueSet-cpis-notification-event.json",
            "fhir/MessageDefinition-cpis-attendance-notification.json",
            "fhir/MessageDefinition-cpis-attendance-cancellation.json",
            "fhir/StructureDefinition-cpis-notification-bundle.json",
            "fhir/StructureDefinition-cpis-notification-message-header.json");

    private static volatile NotificationValidator shared;

    private final FhirContext ctx;
    private final FhirValidator validator;

    /**
     * One warmed-up validator per JVM (R4 cached context), for the engine and the council receiver
     * to share: each instance holds its own copy of the core definitions.
     */
    public static NotificationValidator shared() {
        NotificationValidator v = shared;
        if (v == null) {
            synchronized (NotificationValidator.class) {
                v = shared;
                if (v == null) {
                    v = new NotificationValidator();
                    v.warmUp();
                    shared = v;
                }
            }
        }
        return v;
    }

    public NotificationValidator(FhirContext ctx) {
        this.ctx = ctx;
        PrePopulatedValidationSupport own = new PrePopulatedValidationSupport(ctx);
        for (String name : CONFORMANCE_RESOURCES) {
            own.addResource(load(ctx, name));
        }
        ValidationSupportChain chain = new ValidationSupportChain(
                own,
                new DefaultProfileValidationSupport(ctx),
                new SnapshotGeneratingValidationSupport(ctx),
                new InMemoryTerminologyServerValidationSupport(ctx),
                new CommonCodeSystemsTerminologyService(ctx));
        FhirInstanceValidator module = new FhirInstanceValidator(chain);
        validator = ctx.newValidator().registerValidatorModule(module);
    }

    public NotificationValidator() {
        this(FhirContext.forR4Cached());
    }

    /**
     * Validates one built-in sample so the first real message is not slowed by the validator loading
     * the core definitions (about 10 s on a small machine). Returns the time it took.
     */
    public java.time.Duration warmUp() {
        long t0 = System.nanoTime();
        org.hl7.fhir.r4.model.Bundle b = new org.hl7.fhir.r4.model.Bundle();
        b.getMeta().addProfile(NotificationCodes.PROFILE_BUNDLE);
        b.setType(org.hl7.fhir.r4.model.Bundle.BundleType.MESSAGE);
        org.hl7.fhir.r4.model.MessageHeader h = new org.hl7.fhir.r4.model.MessageHeader();
        h.getMeta().addProfile(NotificationCodes.PROFILE_MESSAGE_HEADER);
        h.setEvent(new org.hl7.fhir.r4.model.Coding(NotificationCodes.EVENT_SYSTEM, "attendance-notification", null));
        b.addEntry().setFullUrl("urn:uuid:00000000-0000-0000-0000-000000000000").setResource(h);
        validate(b);
        return java.time.Duration.ofNanos(System.nanoTime() - t0);
    }

    public FhirContext fhirContext() {
        return ctx;
    }

    /** Validates a resource; the result carries every message, errors and warnings. */
    public ValidationResult validate(IBaseResource resource) {
        return validator.validateWithResult(resource);
    }

    /** Validates JSON or XML text. */
    public ValidationResult validate(String resourceText) {
        return validator.validateWithResult(resourceText);
    }

    /** The error and fatal messages only (empty = valid). */
    public static List<SingleValidationMessage> errors(ValidationResult result) {
        return result.getMessages().stream()
                .filter(m -> m.getSeverity() == ResultSeverityEnum.ERROR || m.getSeverity() == ResultSeverityEnum.FATAL)
                .toList();
    }

    /** The result as an R4 OperationOutcome (for a 4xx answer). */
    public static OperationOutcome toOperationOutcome(ValidationResult result) {
        return (OperationOutcome) result.toOperationOutcome();
    }

    private static IBaseResource load(FhirContext ctx, String name) {
        try (InputStream in = NotificationValidator.class.getClassLoader().getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException("missing conformance resource on the classpath: " + name);
            }
            return ctx.newJsonParser().parseResource(new String(in.readAllBytes(), StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new IllegalStateException("cannot read conformance resource " + name, e);
        }
    }
}
