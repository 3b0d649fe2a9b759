package org.cpis.engine.bench;

/** Checks an ACK: MSA-1 must be {@code AA} (or {@code CA}) and MSA-2 the control id that was sent. */
final class AckCheck {

    enum Outcome { ACCEPTED, NOT_ACCEPTED, WRONG_CONTROL_ID, NO_MSA }

    private AckCheck() {
    }

    static Outcome check(String ack, String controlId) {
        int msa = ack.indexOf("MSA|");
        if (msa < 0 || (msa > 0 && ack.charAt(msa - 1) != '\r' && ack.charAt(msa - 1) != '\n')) {
            return Outcome.NO_MSA;
        }
        int codeStart = msa + 4;
        int codeEnd = indexOfAny(ack, codeStart);
        String code = ack.substring(codeStart, codeEnd);
        if (!code.equals("AA") && !code.equals("CA")) {
            return Outcome.NOT_ACCEPTED;
        }
        if (codeEnd >= ack.length() || ack.charAt(codeEnd) != '|') {
            return Outcome.WRONG_CONTROL_ID;
        }
        int idEnd = indexOfAny(ack, codeEnd + 1);
        return ack.regionMatches(codeEnd + 1, controlId, 0, controlId.length()) && idEnd - codeEnd - 1 == controlId.length()
                ? Outcome.ACCEPTED : Outcome.WRONG_CONTROL_ID;
    }

    /** End of a field: the next {@code |}, {@code ^}, segment end or end of text. */
    private static int indexOfAny(String s, int from) {
        for (int i = from; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '|' || c == '^' || c == '\r' || c == '\n') {
                return i;
            }
        }
        return s.length();
    }
}
