package io.dpstwin.testkit.reliability.fuzz;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.StreamWriteConstraints;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.List;

/**
 * One request body for the allocation webhook: a valid request ({@link RequestSpec}) with zero or more
 * {@link Mutation}s, or raw bytes. Renders the same bytes every time.
 *
 * @param spec      the valid request the case starts from, or {@code null} for raw bytes
 * @param mutations applied in order: tree mutations, then text mutations
 * @param raw       the body itself when there is no spec
 */
public record FuzzCase(RequestSpec spec, List<Mutation> mutations, byte[] raw) {

    /** Writes trees deeper than Jackson's default limit of 1,000 levels (the parser's limit is what is tested). */
    private static final ObjectMapper JSON = new ObjectMapper(JsonFactory.builder()
            .streamWriteConstraints(StreamWriteConstraints.builder().maxNestingDepth(10_000).build())
            .build());

    public static FuzzCase valid(RequestSpec spec) {
        return new FuzzCase(spec, List.of(), null);
    }

    public static FuzzCase mutated(RequestSpec spec, List<Mutation> mutations) {
        return new FuzzCase(spec, List.copyOf(mutations), null);
    }

    public static FuzzCase raw(byte[] bytes) {
        return new FuzzCase(null, List.of(), bytes.clone());
    }

    /** Whether the body is a valid request that the webhook must allocate. */
    public boolean valid() {
        return spec != null && mutations.isEmpty();
    }

    /** The body as sent. */
    public byte[] body() {
        if (spec == null) {
            return raw.clone();
        }
        JsonNode tree = spec.toObjectNode();
        for (Mutation mutation : mutations) {
            if (mutation instanceof Mutation.OnTree onTree) {
                tree = onTree.apply(tree);
            }
        }
        byte[] body;
        try {
            body = JSON.writeValueAsBytes(tree);
        } catch (Exception unencodable) {
            // e.g. a lone surrogate Jackson will not encode: send what a lenient client would
            body = tree.toString().getBytes(StandardCharsets.UTF_8);
        }
        for (Mutation mutation : mutations) {
            if (mutation instanceof Mutation.OnBytes onBytes) {
                body = onBytes.apply(body);
            }
        }
        return body;
    }

    @Override
    public String toString() {
        if (spec == null) {
            return "raw bytes (" + raw.length + "): " + HexFormat.of().formatHex(raw, 0, Math.min(raw.length, 48))
                    + (raw.length > 48 ? "..." : "");
        }
        return (mutations.isEmpty() ? "valid " : "mutated ") + spec + (mutations.isEmpty() ? "" : " | " + mutations);
    }
}
