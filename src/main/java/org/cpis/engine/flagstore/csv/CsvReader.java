package org.cpis.engine.flagstore.csv;

import java.io.BufferedReader;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/** RFC 4180 CSV: quoted fields may hold the delimiter, doubled quotes and line breaks. */
final class CsvReader {
    private final BufferedReader in;
    private final char delimiter;
    private int line;

    CsvReader(BufferedReader in, char delimiter) {
        this.in = in;
        this.delimiter = delimiter;
    }

    /** Line number where the last record returned started (1-based). */
    int line() {
        return line;
    }

    private int next;

    /** The next record, or null at the end. */
    List<String> next() throws IOException {
        String first = in.readLine();
        if (first == null) {
            return null;
        }
        next++;
        line = next;
        if (line == 1 && !first.isEmpty() && first.charAt(0) == '\uFEFF') {
            first = first.substring(1);
        }
        List<String> fields = new ArrayList<>();
        StringBuilder sb = new StringBuilder();
        String cur = first;
        boolean quoted = false;
        int i = 0;
        while (true) {
            if (i >= cur.length()) {
                if (quoted) {
                    String more = in.readLine();
                    if (more == null) {
                        break;
                    }
                    next++;
                    sb.append('\n');
                    cur = more;
                    i = 0;
                    continue;
                }
                break;
            }
            char c = cur.charAt(i++);
            if (quoted) {
                if (c == '"') {
                    if (i < cur.length() && cur.charAt(i) == '"') {
                        sb.append('"');
                        i++;
                    } else {
                        quoted = false;
                    }
                } else {
                    sb.append(c);
                }
            } else if (c == '"' && sb.length() == 0) {
                quoted = true;
            } else if (c == delimiter) {
                fields.add(sb.toString());
                sb.setLength(0);
            } else {
                sb.append(c);
            }
        }
        fields.add(sb.toString());
        return fields;
    }
}
