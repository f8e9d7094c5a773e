package io.dpstwin.core.support;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;

import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Masks secrets in anything that may reach a log: JSON documents (values of sensitive keys such as
 * {@code symmetricKey}, {@code primaryKey}, {@code tpm}, {@code x509}, {@code code}), free text (connection strings,
 * SAS tokens, URLs with {@code code=} or {@code sig=}, {@code Bearer} tokens) and header values.
 *
 * <p>A key is sensitive when, compared case-insensitively and ignoring {@code -}, {@code _}, {@code .} and spaces,
 * it is one of {@link #SENSITIVE_KEYS} or ends with {@code key}, {@code keys}, {@code secret}, {@code password},
 * {@code token}, {@code signature} or {@code connectionstring}. The value of a sensitive key is replaced as a whole
 * (objects and arrays included) by {@link #MASK}; every other string value is scanned with {@link #redactText}.
 * Redaction errs on the side of masking: a harmless value under a key such as {@code partitionKey} is masked too.
 */
public final class Redaction {

    /** What replaces a secret. */
    public static final String MASK = "***";

    /**
     * Keys (normalized: lower case without {@code -_. }) whose values are always masked, besides the suffix rules.
     * Attestation blocks ({@code x509}, {@code tpm}, {@code symmetricKey}, {@code attestation}) go as a whole.
     */
    public static final Set<String> SENSITIVE_KEYS = Set.of(
            "symmetrickey", "primarykey", "secondarykey", "x509", "tpm", "endorsementkey", "storagerootkey",
            "attestation", "sig", "sharedaccesskey", "sharedaccesssignature", "accountkey", "connectionstring",
            "code", "xfunctionskey", "authorization", "password", "pwd", "sas", "sastoken", "clientsecret",
            "certificate", "certificates", "privatekey");

    private static final String[] SENSITIVE_SUFFIXES = {
        "key", "keys", "secret", "password", "token", "signature", "connectionstring"};

    /**
     * {@code name=value} / {@code name:value} pairs of connection strings, SAS tokens, query strings and header
     * dumps whose value is a secret. The value runs to the next separator ({@code ; & , whitespace quote}).
     */
    private static final Pattern SECRET_PAIR = Pattern.compile(
            "(?i)\\b(SharedAccessKey|SharedAccessSignature|AccountKey|AccessKey|sig|code|x-functions-key"
                    + "|primaryKey|secondaryKey|password|pwd|client_secret|access_token|sas)"
                    + "(\\s*[=:]\\s*)(?!\\*\\*\\*)([^;&,\\s\"'<>]+)");
    /** {@code SharedAccessSignature sr=...} and {@code Bearer eyJ...} as they appear in Authorization headers. */
    private static final Pattern AUTH_SCHEME = Pattern.compile(
            "(?i)\\b(Bearer|Basic)(\\s+)(?!\\*\\*\\*)([A-Za-z0-9._~+/=-]{8,})");

    private static final ObjectMapper MAPPER = Json.MAPPER;

    private Redaction() {
    }

    /** Whether values under {@code key} are masked. */
    public static boolean isSensitiveKey(String key) {
        if (key == null) {
            return false;
        }
        String normalized = normalize(key);
        if (SENSITIVE_KEYS.contains(normalized)) {
            return true;
        }
        for (String suffix : SENSITIVE_SUFFIXES) {
            if (normalized.endsWith(suffix)) {
                return true;
            }
        }
        return false;
    }

    private static String normalize(String key) {
        StringBuilder sb = new StringBuilder(key.length());
        for (int i = 0; i < key.length(); i++) {
            char c = key.charAt(i);
            if (c != '-' && c != '_' && c != '.' && c != ' ' && c != '$') {
                sb.append(Character.toLowerCase(c));
            }
        }
        return sb.toString();
    }

    /**
     * Masks secrets in free text: values of {@code SharedAccessKey=}, {@code AccountKey=}, {@code sig=},
     * {@code code=}, {@code x-functions-key:} and similar pairs, and {@code Bearer}/{@code Basic} credentials.
     *
     * @return the text with secrets replaced by {@link #MASK}; {@code null} for {@code null}
     */
    public static String redactText(String text) {
        if (text == null || text.isEmpty()) {
            return text;
        }
        String result = replaceGroup3(SECRET_PAIR.matcher(text));
        return replaceGroup3(AUTH_SCHEME.matcher(result));
    }

    private static String replaceGroup3(Matcher matcher) {
        StringBuilder sb = new StringBuilder();
        while (matcher.find()) {
            matcher.appendReplacement(sb, Matcher.quoteReplacement(matcher.group(1) + matcher.group(2) + MASK));
        }
        matcher.appendTail(sb);
        return sb.toString();
    }

    /** The value to show for a header or setting named {@code key}: {@link #MASK} if the key is sensitive. */
    public static String redactValue(String key, String value) {
        if (value == null) {
            return null;
        }
        return isSensitiveKey(key) ? MASK : redactText(value);
    }

    /** A redacted deep copy of {@code node}; the argument is left unchanged. */
    public static JsonNode redact(JsonNode node) {
        if (node == null) {
            return null;
        }
        if (node.isObject()) {
            ObjectNode copy = JsonNodeFactory.instance.objectNode();
            for (Map.Entry<String, JsonNode> field : node.properties()) {
                copy.set(field.getKey(), isSensitiveKey(field.getKey())
                        ? TextNode.valueOf(MASK)
                        : redact(field.getValue()));
            }
            return copy;
        }
        if (node.isArray()) {
            ArrayNode copy = JsonNodeFactory.instance.arrayNode(node.size());
            node.forEach(element -> copy.add(redact(element)));
            return copy;
        }
        if (node.isTextual()) {
            return TextNode.valueOf(redactText(node.textValue()));
        }
        return node.deepCopy();
    }

    /**
     * Redacts a JSON document given as text. Text that is not JSON is redacted with {@link #redactText}.
     *
     * @return compact redacted JSON (or redacted text); {@code null} for {@code null}
     */
    public static String redactJson(String json) {
        if (json == null) {
            return null;
        }
        try {
            JsonNode tree = MAPPER.readTree(json);
            if (tree == null || tree.isMissingNode()) {
                return redactText(json);
            }
            return MAPPER.writeValueAsString(redact(tree));
        } catch (JsonProcessingException e) {
            return redactText(json);
        }
    }
}
