package io.dpstwin.testkit.adt.events;

import com.fasterxml.jackson.databind.JsonNode;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import java.util.function.Function;

/**
 * An event route filter, parsed and evaluated as ADT documents them
 * (https://learn.microsoft.com/azure/digital-twins/how-to-create-routes#filter-events): {@code true}/{@code false};
 * the CloudEvents attributes {@code type}, {@code source}, {@code subject}, {@code id}, {@code dataschema},
 * {@code datacontenttype}, {@code specversion}, {@code time} and {@code traceparent}; {@code $body.<path>} for a
 * property of the event's data; the older {@code $eventType} category ({@code DigitalTwinTelemetryMessages},
 * {@code DigitalTwinLifecycleNotification}, …); string, number, boolean and {@code null} literals; the comparisons
 * {@code = != < <= > >=}; {@code AND}, {@code OR}, {@code NOT} and parentheses; the functions
 * {@code STARTS_WITH}, {@code ENDS_WITH} and {@code CONTAINS}. Attribute names and values are case-sensitive,
 * keywords are not. Immutable.
 */
public final class RouteFilter {

    private static final Set<String> ATTRIBUTES = Set.of("type", "source", "subject", "id", "dataschema",
            "datacontenttype", "specversion", "time", "traceparent", "$eventType");
    private static final Set<String> FUNCTIONS = Set.of("STARTS_WITH", "ENDS_WITH", "CONTAINS");
    private static final Object MISSING = new Object();

    private final String text;
    private final Node root;

    private RouteFilter(String text, Node root) {
        this.text = text;
        this.root = root;
    }

    /**
     * Parses a filter.
     *
     * @throws RouteFilterException naming the position of the first unexpected input
     */
    public static RouteFilter parse(String text) {
        Objects.requireNonNull(text, "text");
        Parser parser = new Parser(text);
        Node root = parser.expression();
        parser.expectEnd();
        return new RouteFilter(text, root);
    }

    /** Whether the event passes the filter. */
    public boolean matches(DigitalTwinsEvent event) {
        return Boolean.TRUE.equals(root.evaluate(event));
    }

    /** The filter as written. */
    public String text() {
        return text;
    }

    @Override
    public String toString() {
        return text;
    }

    /** A filter ADT would refuse, with the 1-based position of the problem. */
    public static final class RouteFilterException extends IllegalArgumentException {
        private static final long serialVersionUID = 1L;
        private final int position;

        RouteFilterException(int position, String message) {
            super("Parsing error, Line=1, Position=" + position + ", Message=" + message);
            this.position = position;
        }

        /** The 1-based position of the unexpected input. */
        public int position() {
            return position;
        }
    }

    // ------------------------------------------------------------------------------------------------ evaluation

    private interface Node {
        Object evaluate(DigitalTwinsEvent event);
    }

    private record Literal(Object value) implements Node {
        @Override
        public Object evaluate(DigitalTwinsEvent event) {
            return value;
        }
    }

    private record Attribute(Function<DigitalTwinsEvent, Object> reader) implements Node {
        @Override
        public Object evaluate(DigitalTwinsEvent event) {
            Object value = reader.apply(event);
            return value == null ? MISSING : value;
        }
    }

    private record Not(Node operand) implements Node {
        @Override
        public Object evaluate(DigitalTwinsEvent event) {
            return !Boolean.TRUE.equals(operand.evaluate(event));
        }
    }

    private record Logical(boolean and, Node left, Node right) implements Node {
        @Override
        public Object evaluate(DigitalTwinsEvent event) {
            boolean first = Boolean.TRUE.equals(left.evaluate(event));
            if (and ? !first : first) {
                return first;
            }
            return Boolean.TRUE.equals(right.evaluate(event));
        }
    }

    private record Comparison(String operator, Node left, Node right) implements Node {
        @Override
        public Object evaluate(DigitalTwinsEvent event) {
            Object a = normalise(left.evaluate(event));
            Object b = normalise(right.evaluate(event));
            switch (operator) {
                case "=":
                    return equal(a, b);
                case "!=":
                    return !equal(a, b);
                default:
                    Integer order = compare(a, b);
                    if (order == null) {
                        return false;
                    }
                    return switch (operator) {
                        case "<" -> order < 0;
                        case "<=" -> order <= 0;
                        case ">" -> order > 0;
                        default -> order >= 0;
                    };
            }
        }

        private static boolean equal(Object a, Object b) {
            if (a instanceof BigDecimal x && b instanceof BigDecimal y) {
                return x.compareTo(y) == 0;
            }
            return Objects.equals(a, b);
        }

        private static Integer compare(Object a, Object b) {
            if (a instanceof BigDecimal x && b instanceof BigDecimal y) {
                return x.compareTo(y);
            }
            if (a instanceof String x && b instanceof String y) {
                return x.compareTo(y);
            }
            return null;
        }
    }

    private record Call(String function, Node value, Node part) implements Node {
        @Override
        public Object evaluate(DigitalTwinsEvent event) {
            if (!(normalise(value.evaluate(event)) instanceof String x)
                    || !(normalise(part.evaluate(event)) instanceof String y)) {
                return false;
            }
            return switch (function) {
                case "STARTS_WITH" -> x.startsWith(y);
                case "ENDS_WITH" -> x.endsWith(y);
                default -> x.contains(y);
            };
        }
    }

    /** Missing values and JSON nulls compare as {@code null}; JSON scalars as Java values. */
    private static Object normalise(Object value) {
        if (value == MISSING) {
            return null;
        }
        if (value instanceof JsonNode node) {
            if (node.isMissingNode() || node.isNull()) {
                return null;
            }
            if (node.isNumber()) {
                return node.decimalValue();
            }
            if (node.isBoolean()) {
                return node.booleanValue();
            }
            if (node.isTextual()) {
                return node.textValue();
            }
            return node;
        }
        return value;
    }

    private static Function<DigitalTwinsEvent, Object> reader(String name) {
        switch (name) {
            case "type":
                return e -> e.type().cloudEventType();
            case "source":
                return DigitalTwinsEvent::source;
            case "subject":
                return DigitalTwinsEvent::subject;
            case "id":
                return DigitalTwinsEvent::id;
            case "dataschema":
                return DigitalTwinsEvent::dataSchema;
            case "datacontenttype":
                return e -> DigitalTwinsEvent.DATA_CONTENT_TYPE;
            case "specversion":
                return e -> DigitalTwinsEvent.SPEC_VERSION;
            case "time":
                return e -> e.time().toString();
            case "traceparent":
                return DigitalTwinsEvent::traceParent;
            case "$eventType":
                return e -> e.type().category();
            default:
                throw new IllegalStateException(name);
        }
    }

    private static Function<DigitalTwinsEvent, Object> bodyReader(List<String> path) {
        return event -> {
            JsonNode node = event.data();
            for (String segment : path) {
                node = node.path(segment);
            }
            return node;
        };
    }

    // ------------------------------------------------------------------------------------------------ parsing

    private record Token(String kind, String text, Object value, int position) {
    }

    private static final class Parser {

        private final List<Token> tokens;
        /** Names that are no attribute, reported after the syntax is checked (as ADT reports syntax first). */
        private final List<Token> unknown = new ArrayList<>();
        private int next;

        Parser(String text) {
            this.tokens = tokenise(text);
        }

        Node expression() {
            Node left = conjunction();
            while (keyword("OR")) {
                next++;
                left = new Logical(false, left, conjunction());
            }
            return left;
        }

        private Node conjunction() {
            Node left = negation();
            while (keyword("AND")) {
                next++;
                left = new Logical(true, left, negation());
            }
            return left;
        }

        private Node negation() {
            if (keyword("NOT")) {
                next++;
                return new Not(negation());
            }
            return comparison();
        }

        private Node comparison() {
            Token token = peek();
            if (token.kind().equals("(")) {
                next++;
                Node inner = expression();
                expect(")");
                return inner;
            }
            Node left = operand();
            if (peek().kind().equals("op")) {
                String operator = tokens.get(next++).text();
                return new Comparison(operator, left, operand());
            }
            return left;
        }

        private Node operand() {
            Token token = tokens.get(next);
            switch (token.kind()) {
                case "string":
                case "number":
                    next++;
                    return new Literal(token.value());
                case "name":
                    next++;
                    String upper = token.text().toUpperCase(Locale.ROOT);
                    if (upper.equals("TRUE") || upper.equals("FALSE")) {
                        return new Literal(upper.equals("TRUE"));
                    }
                    if (upper.equals("NULL")) {
                        return new Literal(null);
                    }
                    if (FUNCTIONS.contains(upper) && peek().kind().equals("(")) {
                        next++;
                        Node value = operand();
                        expect(",");
                        Node part = operand();
                        expect(")");
                        return new Call(upper, value, part);
                    }
                    return attribute(token);
                default:
                    throw unexpected(token);
            }
        }

        private Node attribute(Token token) {
            String name = token.text();
            if (ATTRIBUTES.contains(name)) {
                return new Attribute(reader(name));
            }
            if (name.equals("$body") || name.startsWith("$body.")) {
                List<String> path = new ArrayList<>(List.of(name.split("\\.", -1)));
                path.remove(0);
                if (path.stream().anyMatch(String::isEmpty)) {
                    throw unexpected(token);
                }
                return new Attribute(bodyReader(path));
            }
            unknown.add(token);
            return new Literal(null);
        }

        void expectEnd() {
            Token token = peek();
            if (!token.kind().equals("end")) {
                throw unexpected(token);
            }
            if (!unknown.isEmpty()) {
                Token first = unknown.get(0);
                throw new RouteFilterException(first.position(), "Unknown attribute '" + first.text() + "'");
            }
        }

        private void expect(String kind) {
            Token token = peek();
            if (!token.kind().equals(kind)) {
                throw unexpected(token);
            }
            next++;
        }

        private boolean keyword(String word) {
            Token token = peek();
            return token.kind().equals("name") && token.text().equalsIgnoreCase(word);
        }

        private Token peek() {
            return tokens.get(next);
        }

        private static RouteFilterException unexpected(Token token) {
            return new RouteFilterException(token.position(), token.kind().equals("end")
                    ? "Unexpected end of input" : "Unexpected input '" + token.text() + "'");
        }

        private static List<Token> tokenise(String text) {
            List<Token> tokens = new ArrayList<>();
            int i = 0;
            while (i < text.length()) {
                char c = text.charAt(i);
                int start = i;
                if (Character.isWhitespace(c)) {
                    i++;
                } else if (c == '(' || c == ')' || c == ',') {
                    tokens.add(new Token(String.valueOf(c), String.valueOf(c), null, start + 1));
                    i++;
                } else if (c == '=' || c == '<' || c == '>' || c == '!') {
                    String operator = i + 1 < text.length() && text.charAt(i + 1) == '=' ? text.substring(i, i + 2)
                            : String.valueOf(c);
                    if (operator.equals("!")) {
                        throw new RouteFilterException(start + 1, "Unexpected input '!'");
                    }
                    tokens.add(new Token("op", operator.equals("==") ? "=" : operator, null, start + 1));
                    i += operator.length();
                } else if (c == '\'') {
                    StringBuilder value = new StringBuilder();
                    i++;
                    boolean closed = false;
                    while (i < text.length()) {
                        char d = text.charAt(i);
                        if (d == '\\' && i + 1 < text.length()) {
                            value.append(text.charAt(i + 1));
                            i += 2;
                        } else if (d == '\'') {
                            i++;
                            closed = true;
                            break;
                        } else {
                            value.append(d);
                            i++;
                        }
                    }
                    if (!closed) {
                        throw new RouteFilterException(start + 1, "Unterminated string");
                    }
                    tokens.add(new Token("string", text.substring(start, i), value.toString(), start + 1));
                } else if (Character.isDigit(c) || (c == '-' && i + 1 < text.length()
                        && Character.isDigit(text.charAt(i + 1)))) {
                    i++;
                    while (i < text.length() && (Character.isDigit(text.charAt(i)) || text.charAt(i) == '.')) {
                        i++;
                    }
                    String number = text.substring(start, i);
                    try {
                        tokens.add(new Token("number", number, new BigDecimal(number), start + 1));
                    } catch (NumberFormatException e) {
                        throw new RouteFilterException(start + 1, "Unexpected input '" + number + "'");
                    }
                } else if (Character.isLetter(c) || c == '$' || c == '_') {
                    while (i < text.length() && (Character.isLetterOrDigit(text.charAt(i))
                            || "$_.".indexOf(text.charAt(i)) >= 0)) {
                        i++;
                    }
                    tokens.add(new Token("name", text.substring(start, i), null, start + 1));
                } else {
                    throw new RouteFilterException(start + 1, "Unexpected input '" + c + "'");
                }
            }
            tokens.add(new Token("end", "", null, text.length() + 1));
            return tokens;
        }
    }
}
