package io.dpstwin.core.internal.reconcile;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Objects;

/**
 * Builds the Azure Digital Twins queries dps-twin sends, with every value written as an escaped string literal so
 * that no id can change the query's meaning. ADT string literals are single-quoted and escape with a backslash:
 * {@code \} becomes {@code \\} and {@code '} becomes {@code \'} (e.g. {@code 'D\'Souza'}). Control characters are
 * refused: ADT documents no escape for them and no valid twin or model id contains one.
 */
public final class AdtQueries {

    /** ADT's limit on the items of one {@code IN} list. */
    public static final int MAX_IN_ITEMS = 50;
    /** ADT's limit on the length of a query, in characters. */
    public static final int MAX_QUERY_LENGTH = 8000;

    /** The start of every query {@link #twinsWithIds} makes, which the reconciler counts when it batches ids. */
    public static final String TWINS_WITH_IDS_PREFIX = "SELECT * FROM DIGITALTWINS WHERE $dtId IN [";

    private AdtQueries() {
    }

    /**
     * {@code value} as an ADT string literal, quotes included: {@code o'brien\x} becomes {@code 'o\'brien\\x'}.
     *
     * @throws IllegalArgumentException for {@code null} or a value with a control character
     */
    public static String literal(String value) {
        if (value == null) {
            throw new IllegalArgumentException("a query literal must not be null");
        }
        StringBuilder out = new StringBuilder(value.length() + 2).append('\'');
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (Character.isISOControl(c)) {
                throw new IllegalArgumentException("a query literal must not contain control characters (found U+"
                        + String.format("%04X", (int) c) + " at index " + i + ")");
            }
            if (c == '\\' || c == '\'') {
                out.append('\\');
            }
            out.append(c);
        }
        return out.append('\'').toString();
    }

    /**
     * Every twin of {@code modelId} or of a model extending it:
     * {@code SELECT * FROM DIGITALTWINS WHERE IS_OF_MODEL('<modelId>')}.
     */
    public static String twinsOfModel(String modelId) {
        return "SELECT * FROM DIGITALTWINS WHERE IS_OF_MODEL(" + literal(Objects.requireNonNull(modelId, "modelId"))
                + ")";
    }

    /**
     * The twins with these ids: {@code SELECT * FROM DIGITALTWINS WHERE $dtId IN ['a', 'b']}.
     *
     * @throws IllegalArgumentException for no ids, more than {@value #MAX_IN_ITEMS}, or a query longer than
     *                                  {@value #MAX_QUERY_LENGTH} characters (use {@link #twinsWithIdsBatches})
     */
    public static String twinsWithIds(Collection<String> twinIds) {
        Objects.requireNonNull(twinIds, "twinIds");
        if (twinIds.isEmpty()) {
            throw new IllegalArgumentException("at least one twin id is required");
        }
        if (twinIds.size() > MAX_IN_ITEMS) {
            throw new IllegalArgumentException("an IN list holds at most " + MAX_IN_ITEMS + " items, got "
                    + twinIds.size());
        }
        StringBuilder query = new StringBuilder(TWINS_WITH_IDS_PREFIX);
        boolean first = true;
        for (String id : twinIds) {
            if (!first) {
                query.append(", ");
            }
            query.append(literal(id));
            first = false;
        }
        query.append(']');
        if (query.length() > MAX_QUERY_LENGTH) {
            throw new IllegalArgumentException("the query would be " + query.length() + " characters long; ADT "
                    + "accepts at most " + MAX_QUERY_LENGTH);
        }
        return query.toString();
    }

    /**
     * As few {@link #twinsWithIds} queries as ADT's limits allow for all of {@code twinIds}, in order.
     *
     * @throws IllegalArgumentException when a single id is too long to fit in a query
     */
    public static List<String> twinsWithIdsBatches(Collection<String> twinIds) {
        Objects.requireNonNull(twinIds, "twinIds");
        List<String> queries = new ArrayList<>();
        List<String> batch = new ArrayList<>();
        int length = TWINS_WITH_IDS_PREFIX.length() + 1;
        for (String id : twinIds) {
            int itemLength = literal(id).length() + 2;
            if (!batch.isEmpty() && (batch.size() == MAX_IN_ITEMS || length + itemLength > MAX_QUERY_LENGTH)) {
                queries.add(twinsWithIds(batch));
                batch = new ArrayList<>();
                length = TWINS_WITH_IDS_PREFIX.length() + 1;
            }
            batch.add(id);
            length += itemLength;
        }
        if (!batch.isEmpty()) {
            queries.add(twinsWithIds(batch));
        }
        return queries;
    }
}
