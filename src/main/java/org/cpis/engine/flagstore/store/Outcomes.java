package org.cpis.engine.flagstore.store;

import ca.uhn.fhir.rest.server.exceptions.UnprocessableEntityException;
import java.util.List;
import org.cpis.engine.flagstore.FlagRules;
import org.hl7.fhir.r4.model.OperationOutcome;
import org.hl7.fhir.r4.model.OperationOutcome.IssueSeverity;
import org.hl7.fhir.r4.model.OperationOutcome.IssueType;

/** OperationOutcomes that name the element at fault. */
public final class Outcomes {
    private Outcomes() {
    }

    public static OperationOutcome of(IssueType type, String element, String message) {
        OperationOutcome oo = new OperationOutcome();
        var issue = oo.addIssue().setSeverity(IssueSeverity.ERROR).setCode(type).setDiagnostics(message);
        if (element != null) {
            issue.addExpression(element);
        }
        return oo;
    }

    /** 422 naming each broken rule's element. */
    public static UnprocessableEntityException unprocessable(List<FlagRules.Problem> problems) {
        OperationOutcome oo = new OperationOutcome();
        for (FlagRules.Problem p : problems) {
            oo.addIssue().setSeverity(IssueSeverity.ERROR).setCode(IssueType.INVALID)
                    .setDiagnostics(p.message()).addExpression(p.element())
                    .getDetails().setText(p.reasonCode());
        }
        return new UnprocessableEntityException(problems.get(0).message(), oo);
    }

    public static UnprocessableEntityException unprocessable(String element, String reasonCode, String message) {
        return unprocessable(List.of(new FlagRules.Problem(element, reasonCode, message)));
    }

    /** An information-only outcome (e.g. the result of a delete). */
    public static OperationOutcome info(String message) {
        OperationOutcome oo = new OperationOutcome();
        oo.addIssue().setSeverity(IssueSeverity.INFORMATION).setCode(IssueType.INFORMATIONAL).setDiagnostics(message);
        return oo;
    }
}
