package io.dpstwin.spring.webhook;

import jakarta.servlet.http.HttpServletRequest;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.Enumeration;
import java.util.List;
import java.util.Objects;

/**
 * The function keys a webhook accepts, checked the way Azure Functions does: the query parameter {@code code} (its
 * name in any case, as ASP.NET reads query strings) or the header {@code x-functions-key} must match one of them. Several keys may be valid at once so that keys can be
 * rotated. Only SHA-256 digests of the keys are kept, and a presented key is compared with every digest using
 * {@link MessageDigest#isEqual} on fixed-length values, so the comparison time does not reveal how much of a key was
 * right or which key matched. Thread-safe; {@link #toString()} never shows a key.
 */
public final class WebhookKeys {

    /** The query parameter carrying the key. */
    public static final String QUERY_PARAMETER = "code";
    /** The header carrying the key. */
    public static final String HEADER = "x-functions-key";
    /** The request attribute where {@link WebhookKeyRedactingFilter} leaves the presented keys. */
    static final String PRESENTED_KEYS_ATTRIBUTE = WebhookKeys.class.getName() + ".presented";

    private final List<byte[]> digests;
    private final boolean required;

    private WebhookKeys(List<byte[]> digests, boolean required) {
        this.digests = digests;
        this.required = required;
    }

    /**
     * Keys that must be presented.
     *
     * @throws IllegalArgumentException when {@code keys} is empty or holds a blank key
     */
    public static WebhookKeys of(Collection<String> keys) {
        Objects.requireNonNull(keys, "keys");
        if (keys.isEmpty()) {
            throw new IllegalArgumentException("at least one key is required");
        }
        List<byte[]> digests = new ArrayList<>(keys.size());
        int position = 0;
        for (String key : keys) {
            position++;
            if (key == null || key.isBlank()) {
                throw new IllegalArgumentException("key #" + position + " is blank");
            }
            digests.add(sha256(key));
        }
        return new WebhookKeys(Collections.unmodifiableList(digests), true);
    }

    /** No key check at all: only for an application behind a gateway that authenticates callers. */
    public static WebhookKeys notRequired() {
        return new WebhookKeys(List.of(), false);
    }

    /** Whether requests must carry a key. */
    public boolean required() {
        return required;
    }

    /** Whether {@code request} may pass: no key is required, or one of the presented keys matches. */
    public boolean accepts(HttpServletRequest request) {
        if (!required) {
            return true;
        }
        return accepts(presentedKeys(request));
    }

    /** Whether one of {@code presented} matches one of the keys; every key is compared, whatever matched. */
    public boolean accepts(List<String> presented) {
        if (!required) {
            return true;
        }
        boolean match = false;
        for (String candidate : presented) {
            byte[] digest = sha256(candidate);
            for (byte[] key : digests) {
                match |= MessageDigest.isEqual(key, digest);
            }
        }
        return match;
    }

    /**
     * The keys {@code request} presents: every {@code code} query parameter and {@code x-functions-key} header. The
     * query string is parsed here rather than with {@code getParameter}, which could read a form body.
     */
    @SuppressWarnings("unchecked")
    static List<String> presentedKeys(HttpServletRequest request) {
        Object captured = request.getAttribute(PRESENTED_KEYS_ATTRIBUTE);
        if (captured instanceof List<?> list) {
            return (List<String>) list;
        }
        return readPresentedKeys(request);
    }

    static List<String> readPresentedKeys(HttpServletRequest request) {
        List<String> keys = new ArrayList<>(2);
        String query = request.getQueryString();
        if (query != null && !query.isEmpty()) {
            for (String pair : query.split("&")) {
                int eq = pair.indexOf('=');
                String name = decode(eq < 0 ? pair : pair.substring(0, eq));
                if (QUERY_PARAMETER.equalsIgnoreCase(name) && eq >= 0) {
                    keys.add(decode(pair.substring(eq + 1)));
                }
            }
        }
        Enumeration<String> headers = request.getHeaders(HEADER);
        while (headers != null && headers.hasMoreElements()) {
            keys.add(headers.nextElement());
        }
        return keys;
    }

    static String decode(String text) {
        try {
            return URLDecoder.decode(text, StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return text;
        }
    }

    private static byte[] sha256(String text) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is not available", e);
        }
    }

    @Override
    public String toString() {
        return required ? "WebhookKeys[" + digests.size() + " key(s)]" : "WebhookKeys[not required]";
    }
}
