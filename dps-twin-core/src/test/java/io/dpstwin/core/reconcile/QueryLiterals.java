package io.dpstwin.core.reconcile;

import java.util.ArrayList;
import java.util.List;

/**
 * Splits an ADT query into its skeleton (each string literal replaced by {@code ?}) and its literals, unescaping
 * {@code \\} and {@code \'} as ADT does. Any other escape, or an unterminated literal, is an error: the queries dps-twin
 * builds must never contain one.
 */
final class QueryLiterals {

    record Parsed(String skeleton, List<String> literals) {
    }

    private QueryLiterals() {
    }

    static Parsed parse(String query) {
        StringBuilder skeleton = new StringBuilder();
        List<String> literals = new ArrayList<>();
        int i = 0;
        while (i < query.length()) {
            char c = query.charAt(i);
            if (c != '\'') {
                skeleton.append(c);
                i++;
                continue;
            }
            StringBuilder literal = new StringBuilder();
            i++;
            boolean closed = false;
            while (i < query.length()) {
                char d = query.charAt(i);
                if (d == '\\') {
                    if (i + 1 >= query.length()) {
                        throw new IllegalArgumentException("dangling backslash in " + query);
                    }
                    char e = query.charAt(i + 1);
                    if (e != '\\' && e != '\'') {
                        throw new IllegalArgumentException("unexpected escape \\" + e + " in " + query);
                    }
                    literal.append(e);
                    i += 2;
                } else if (d == '\'') {
                    closed = true;
                    i++;
                    break;
                } else {
                    literal.append(d);
                    i++;
                }
            }
            if (!closed) {
                throw new IllegalArgumentException("unterminated literal in " + query);
            }
            literals.add(literal.toString());
            skeleton.append('?');
        }
        return new Parsed(skeleton.toString(), literals);
    }
}
