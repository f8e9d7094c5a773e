package io.dpstwin.testkit.adt.query;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * A hand-written parser for the subset of the ADT query language the emulator supports:
 *
 * <pre>
 * SELECT *|COUNT()|TOP(n) [*|projections]|projections FROM DIGITALTWINS|RELATIONSHIPS [alias] [WHERE condition]
 * projection := path [AS name]
 * condition  := condition OR condition | condition AND condition | NOT condition | ( condition )
 *             | operand (= | != | &lt;&gt; | &lt; | &gt; | &lt;= | &gt;=) operand
 *             | operand [NOT] IN [literal, ...] | operand NIN [literal, ...]
 *             | IS_OF_MODEL([alias,] 'dtmi' [, exact])
 *             | IS_DEFINED(path) | IS_NULL(path) | IS_BOOL(path) | IS_NUMBER(path) | IS_STRING(path)
 *             | IS_PRIMITIVE(path) | IS_OBJECT(path)
 *             | STARTSWITH(path, 'x') | ENDSWITH(path, 'x') | CONTAINS(path, 'x')
 * operand    := path | 'string' | "string" | number | true | false | null
 * path       := name(.name)*   (names may start with $; [[name]] escapes a reserved word)
 * </pre>
 *
 * Keywords and function names are case-insensitive; property names are case-sensitive. Strings accept the escapes
 * {@code \' \" \\ \/ \b \f \n \r \t} and {@code \\u} with four hex digits. ADT's limits apply: 8,000
 * characters, 50 AND/OR, 50 IN items.
 * Everything else ({@code JOIN}, {@code MATCH}, {@code ORDER BY}, arithmetic, ...) is refused with a
 * {@link QueryException} that names what was not understood.
 */
public final class QueryParser {

    /** ADT's limit on the length of a query. */
    public static final int MAX_QUERY_LENGTH = 8000;
    /** ADT's limit on AND/OR operators in a query. */
    public static final int MAX_AND_OR = 50;
    /** ADT's limit on the items of an IN list. */
    public static final int MAX_IN_ITEMS = 50;

    private static final Set<String> RESERVED = Set.of(
            "SELECT", "FROM", "WHERE", "AND", "OR", "NOT", "IN", "NIN", "TOP", "COUNT", "AS", "JOIN", "MATCH",
            "RELATED", "ORDER", "BY", "GROUP", "TRUE", "FALSE", "NULL", "DIGITALTWINS", "RELATIONSHIPS");
    private static final Set<String> PATH_FUNCTIONS = Set.of(
            "IS_DEFINED", "IS_NULL", "IS_BOOL", "IS_NUMBER", "IS_STRING", "IS_PRIMITIVE", "IS_OBJECT");
    private static final Set<String> STRING_FUNCTIONS = Set.of("STARTSWITH", "ENDSWITH", "CONTAINS");
    private static final String SUPPORTED = " The emulator supports SELECT *, COUNT(), TOP(n) and projections FROM "
            + "DIGITALTWINS or RELATIONSHIPS with WHERE conditions (=, !=, <, >, <=, >=, IN, NIN, AND, OR, NOT, "
            + "IS_OF_MODEL, IS_DEFINED, IS_NULL, IS_BOOL, IS_NUMBER, IS_STRING, IS_PRIMITIVE, IS_OBJECT, STARTSWITH, "
            + "ENDSWITH, CONTAINS).";

    private enum Kind { WORD, QUOTED_WORD, STRING, NUMBER, SYMBOL, END }

    private record Token(Kind kind, String text, int position) {
        boolean isKeyword(String keyword) {
            return kind == Kind.WORD && text.equalsIgnoreCase(keyword);
        }

        boolean isSymbol(String symbol) {
            return kind == Kind.SYMBOL && text.equals(symbol);
        }

        String describe() {
            switch (kind) {
                case END:
                    return "the end of the query";
                case STRING:
                    return "the string '" + text + "'";
                default:
                    return "'" + text + "'";
            }
        }
    }

    private final List<Token> tokens;
    private int next;
    private int andOr;
    private String alias;

    private QueryParser(String text) {
        this.tokens = tokenize(text);
    }

    /**
     * Parses a query.
     *
     * @throws QueryException naming what was not understood
     */
    public static Query parse(String query) {
        if (query == null || query.isBlank()) {
            throw new QueryException("The query is empty.");
        }
        if (query.length() > MAX_QUERY_LENGTH) {
            throw new QueryException("The query is " + query.length() + " characters long; ADT allows at most "
                    + MAX_QUERY_LENGTH + ".");
        }
        return new QueryParser(query).query();
    }

    private Query query() {
        expectKeyword("SELECT");
        Integer top = null;
        Query.Selection selection;
        if (peek().isKeyword("TOP")) {
            advance();
            expectSymbol("(");
            Token count = advance();
            if (count.kind() != Kind.NUMBER || !count.text().matches("[0-9]+") || count.text().length() > 9
                    || Integer.parseInt(count.text()) < 1) {
                throw error(count, "TOP needs a positive integer, found " + count.describe());
            }
            top = Integer.parseInt(count.text());
            expectSymbol(")");
            if (peek().isSymbol("*")) {
                advance();
                selection = new Query.All();
            } else if (peek().isKeyword("FROM")) {
                selection = new Query.All();
            } else {
                selection = projections();
            }
        } else if (peek().isSymbol("*")) {
            advance();
            selection = new Query.All();
        } else if (peek().isKeyword("COUNT")) {
            advance();
            expectSymbol("(");
            expectSymbol(")");
            selection = new Query.Count();
        } else {
            selection = projections();
        }
        expectKeyword("FROM");
        Token source = advance();
        Query.Source from;
        if (source.isKeyword("DIGITALTWINS")) {
            from = Query.Source.DIGITALTWINS;
        } else if (source.isKeyword("RELATIONSHIPS")) {
            from = Query.Source.RELATIONSHIPS;
        } else {
            throw error(source, "FROM must name DIGITALTWINS or RELATIONSHIPS, found " + source.describe());
        }
        Token maybeAlias = peek();
        if ((maybeAlias.kind() == Kind.WORD && !RESERVED.contains(maybeAlias.text().toUpperCase(Locale.ROOT)))
                || maybeAlias.kind() == Kind.QUOTED_WORD) {
            if (maybeAlias.text().startsWith("$")) {
                throw error(maybeAlias, "an alias cannot start with $");
            }
            alias = advance().text();
        }
        rejectUnsupportedClause(peek());
        Query.Expr where = null;
        if (peek().isKeyword("WHERE")) {
            advance();
            where = orExpression();
        }
        Token end = peek();
        if (end.kind() != Kind.END) {
            rejectUnsupportedClause(end);
            throw error(end, "unexpected " + end.describe());
        }
        return new Query(from, alias, selection, top, where);
    }

    private void rejectUnsupportedClause(Token token) {
        for (String clause : List.of("JOIN", "MATCH", "ORDER", "GROUP")) {
            if (token.isKeyword(clause)) {
                throw error(token, clause + (clause.equals("ORDER") || clause.equals("GROUP") ? " BY" : "")
                        + " is not supported by the emulator");
            }
        }
    }

    private Query.Projections projections() {
        List<Query.Projection> projections = new ArrayList<>();
        do {
            if (!projections.isEmpty()) {
                advance();
            }
            Token start = peek();
            if (start.isSymbol("*")) {
                throw error(start, "* cannot be combined with other projections");
            }
            if (start.kind() != Kind.WORD && start.kind() != Kind.QUOTED_WORD
                    || (start.kind() == Kind.WORD && RESERVED.contains(start.text().toUpperCase(Locale.ROOT)))) {
                throw error(start, "expected *, COUNT(), TOP(n) or a property path after SELECT, found "
                        + start.describe());
            }
            Query.Path path = path();
            if (peek().isSymbol("(")) {
                throw error(peek(), "the function " + path + "() is not supported in SELECT");
            }
            String name = path.segments().get(path.segments().size() - 1);
            if (peek().isKeyword("AS")) {
                advance();
                Token as = advance();
                if (as.kind() != Kind.WORD && as.kind() != Kind.QUOTED_WORD) {
                    throw error(as, "expected a name after AS, found " + as.describe());
                }
                name = as.text();
            }
            projections.add(new Query.Projection(path, name));
        } while (peek().isSymbol(","));
        return new Query.Projections(projections);
    }

    private Query.Expr orExpression() {
        Query.Expr left = andExpression();
        while (peek().isKeyword("OR")) {
            countAndOr(advance());
            left = new Query.Or(left, andExpression());
        }
        return left;
    }

    private Query.Expr andExpression() {
        Query.Expr left = notExpression();
        while (peek().isKeyword("AND")) {
            countAndOr(advance());
            left = new Query.And(left, notExpression());
        }
        return left;
    }

    private void countAndOr(Token token) {
        if (++andOr > MAX_AND_OR) {
            throw error(token, "the query has more than " + MAX_AND_OR + " AND/OR operators, ADT's limit");
        }
    }

    private Query.Expr notExpression() {
        if (peek().isKeyword("NOT")) {
            advance();
            return new Query.Not(notExpression());
        }
        return primary();
    }

    private Query.Expr primary() {
        Token token = peek();
        if (token.isSymbol("(")) {
            advance();
            Query.Expr inner = orExpression();
            expectSymbol(")");
            return inner;
        }
        if (token.kind() == Kind.WORD && lookahead(1).isSymbol("(")) {
            return function();
        }
        Query.Operand left = operand();
        Token operator = advance();
        if (operator.kind() == Kind.SYMBOL && Set.of("=", "!=", "<>", "<", ">", "<=", ">=").contains(operator.text())) {
            Query.Operand right = operand();
            return new Query.Comparison(left, operator.text().equals("<>") ? "!=" : operator.text(), right);
        }
        if (operator.isKeyword("IN")) {
            return new Query.In(left, list(), false);
        }
        if (operator.isKeyword("NIN")) {
            return new Query.In(left, list(), true);
        }
        if (operator.isKeyword("NOT") && peek().isKeyword("IN")) {
            advance();
            return new Query.In(left, list(), true);
        }
        if (operator.kind() == Kind.SYMBOL && Set.of("+", "-", "*", "/", "%").contains(operator.text())) {
            throw error(operator, "arithmetic is not supported by the emulator");
        }
        throw error(operator, "expected a comparison operator (=, !=, <, >, <=, >=, IN, NIN) after " + describe(left)
                + ", found " + operator.describe());
    }

    private Query.Expr function() {
        Token nameToken = advance();
        String name = nameToken.text().toUpperCase(Locale.ROOT);
        expectSymbol("(");
        if (name.equals("IS_OF_MODEL")) {
            Token first = peek();
            if (first.kind() == Kind.WORD || first.kind() == Kind.QUOTED_WORD) {
                Query.Path collection = path();
                if (alias == null) {
                    throw error(first, "IS_OF_MODEL names the collection '" + collection + "', but FROM declares no "
                            + "alias");
                }
                if (collection.segments().size() != 1 || !alias.equals(collection.toString())) {
                    throw error(first, "the first argument of IS_OF_MODEL must be the collection alias " + alias
                            + ", found '" + collection + "'");
                }
                expectSymbol(",");
            }
            Token model = advance();
            if (model.kind() != Kind.STRING) {
                throw error(model, "IS_OF_MODEL needs the model id as a string, found " + model.describe());
            }
            boolean exact = false;
            if (peek().isSymbol(",")) {
                advance();
                Token exactToken = advance();
                if (!exactToken.isKeyword("exact")) {
                    throw error(exactToken, "the last argument of IS_OF_MODEL can only be exact, found "
                            + exactToken.describe());
                }
                exact = true;
            }
            expectSymbol(")");
            return new Query.IsOfModel(model.text(), exact);
        }
        if (PATH_FUNCTIONS.contains(name)) {
            Query.Path path = pathArgument(name);
            expectSymbol(")");
            return new Query.Function(name, path, null);
        }
        if (STRING_FUNCTIONS.contains(name)) {
            Query.Path path = pathArgument(name);
            expectSymbol(",");
            Token argument = advance();
            if (argument.kind() != Kind.STRING) {
                throw error(argument, name + " needs a string as second argument, found " + argument.describe());
            }
            expectSymbol(")");
            return new Query.Function(name, path, JsonNodeFactory.instance.textNode(argument.text()));
        }
        throw error(nameToken, "the function " + nameToken.text() + " is not supported by the emulator");
    }

    private Query.Path pathArgument(String function) {
        Token token = peek();
        if (token.kind() != Kind.WORD && token.kind() != Kind.QUOTED_WORD) {
            throw error(token, function + " needs a property path as first argument, found " + token.describe());
        }
        return path();
    }

    private List<JsonNode> list() {
        expectSymbol("[");
        List<JsonNode> values = new ArrayList<>();
        if (!peek().isSymbol("]")) {
            do {
                if (!values.isEmpty()) {
                    advance();
                }
                Token token = peek();
                Query.Operand operand = operand();
                if (!(operand instanceof Query.Literal)) {
                    throw error(token, "IN lists may hold only literals, found " + token.describe());
                }
                values.add(((Query.Literal) operand).value());
                if (values.size() > MAX_IN_ITEMS) {
                    throw error(token, "IN lists may hold at most " + MAX_IN_ITEMS + " items (ADT's limit)");
                }
            } while (peek().isSymbol(","));
        }
        expectSymbol("]");
        return values;
    }

    private Query.Operand operand() {
        Token token = peek();
        switch (token.kind()) {
            case STRING:
                advance();
                return new Query.Literal(JsonNodeFactory.instance.textNode(token.text()));
            case NUMBER:
                advance();
                return new Query.Literal(number(token));
            case WORD:
                if (token.isKeyword("true") || token.isKeyword("false")) {
                    advance();
                    return new Query.Literal(JsonNodeFactory.instance.booleanNode(token.isKeyword("true")));
                }
                if (token.isKeyword("null")) {
                    advance();
                    return new Query.Literal(JsonNodeFactory.instance.nullNode());
                }
                if (RESERVED.contains(token.text().toUpperCase(Locale.ROOT))) {
                    throw error(token, "expected a property path or a literal, found the keyword " + token.describe());
                }
                return path();
            case QUOTED_WORD:
                return path();
            default:
                throw error(token, "expected a property path or a literal, found " + token.describe());
        }
    }

    private JsonNode number(Token token) {
        try {
            BigDecimal value = new BigDecimal(token.text());
            if (token.text().matches("-?[0-9]+")) {
                return JsonNodeFactory.instance.numberNode(value.toBigIntegerExact());
            }
            return JsonNodeFactory.instance.numberNode(value);
        } catch (NumberFormatException | ArithmeticException e) {
            throw error(token, "'" + token.text() + "' is not a number");
        }
    }

    private Query.Path path() {
        List<String> segments = new ArrayList<>();
        Token first = advance();
        segments.add(first.text());
        while (peek().isSymbol(".")) {
            advance();
            Token segment = advance();
            if (segment.kind() != Kind.WORD && segment.kind() != Kind.QUOTED_WORD) {
                throw error(segment, "expected a property name after '.', found " + segment.describe());
            }
            segments.add(segment.text());
        }
        if (peek().isSymbol("[")) {
            throw error(peek(), "array indexing is not supported by the emulator");
        }
        return new Query.Path(segments);
    }

    private static String describe(Query.Operand operand) {
        if (operand instanceof Query.Path) {
            return "'" + operand + "'";
        }
        return ((Query.Literal) operand).value().toString();
    }

    private Token peek() {
        return tokens.get(next);
    }

    private Token lookahead(int offset) {
        return tokens.get(Math.min(next + offset, tokens.size() - 1));
    }

    private Token advance() {
        Token token = tokens.get(next);
        if (token.kind() != Kind.END) {
            next++;
        }
        return token;
    }

    private void expectKeyword(String keyword) {
        Token token = advance();
        if (!token.isKeyword(keyword)) {
            throw error(token, "expected " + keyword + ", found " + token.describe());
        }
    }

    private void expectSymbol(String symbol) {
        Token token = advance();
        if (!token.isSymbol(symbol)) {
            throw error(token, "expected '" + symbol + "', found " + token.describe());
        }
    }

    private QueryException error(Token token, String message) {
        return new QueryException("SQL query parse failed at position " + token.position() + ": " + message + "."
                + SUPPORTED);
    }

    private static List<Token> tokenize(String text) {
        List<Token> tokens = new ArrayList<>();
        int i = 0;
        int length = text.length();
        while (i < length) {
            char c = text.charAt(i);
            if (Character.isWhitespace(c)) {
                i++;
            } else if (c == '\'' || c == '"') {
                StringBuilder value = new StringBuilder();
                int start = i++;
                boolean closed = false;
                while (i < length) {
                    char d = text.charAt(i++);
                    if (d == c) {
                        closed = true;
                        break;
                    }
                    if (d == '\\') {
                        if (i >= length) {
                            break;
                        }
                        char e = text.charAt(i++);
                        switch (e) {
                            case '\'': case '"': case '\\': case '/':
                                value.append(e);
                                break;
                            case 'b':
                                value.append('\b');
                                break;
                            case 'f':
                                value.append('\f');
                                break;
                            case 'n':
                                value.append('\n');
                                break;
                            case 'r':
                                value.append('\r');
                                break;
                            case 't':
                                value.append('\t');
                                break;
                            case 'u':
                                if (i + 4 > length || !text.substring(i, i + 4).matches("[0-9a-fA-F]{4}")) {
                                    throw new QueryException("SQL query parse failed at position " + (i - 2)
                                            + ": \\u must be followed by 4 hex digits.");
                                }
                                value.append((char) Integer.parseInt(text.substring(i, i + 4), 16));
                                i += 4;
                                break;
                            default:
                                throw new QueryException("SQL query parse failed at position " + (i - 2)
                                        + ": unknown escape \\" + e + " in a string literal (use \\' for a quote "
                                        + "and \\\\ for a backslash).");
                        }
                    } else {
                        value.append(d);
                    }
                }
                if (!closed) {
                    throw new QueryException("SQL query parse failed at position " + start
                            + ": the string literal is not closed.");
                }
                tokens.add(new Token(Kind.STRING, value.toString(), start));
            } else if (c == '[' && i + 1 < length && text.charAt(i + 1) == '[') {
                int end = text.indexOf("]]", i + 2);
                if (end < 0) {
                    throw new QueryException("SQL query parse failed at position " + i + ": [[ is not closed by ]].");
                }
                tokens.add(new Token(Kind.QUOTED_WORD, text.substring(i + 2, end), i));
                i = end + 2;
            } else if (Character.isLetter(c) || c == '_' || c == '$') {
                int start = i;
                while (i < length && (Character.isLetterOrDigit(text.charAt(i)) || text.charAt(i) == '_'
                        || text.charAt(i) == '$')) {
                    i++;
                }
                tokens.add(new Token(Kind.WORD, text.substring(start, i), start));
            } else if (Character.isDigit(c) || (c == '-' && i + 1 < length && Character.isDigit(text.charAt(i + 1)))) {
                int start = i++;
                while (i < length && (Character.isDigit(text.charAt(i)) || text.charAt(i) == '.'
                        || text.charAt(i) == 'e' || text.charAt(i) == 'E'
                        || ((text.charAt(i) == '+' || text.charAt(i) == '-')
                        && (text.charAt(i - 1) == 'e' || text.charAt(i - 1) == 'E')))) {
                    i++;
                }
                tokens.add(new Token(Kind.NUMBER, text.substring(start, i), start));
            } else {
                String two = i + 1 < length ? text.substring(i, i + 2) : "";
                if (two.equals("!=") || two.equals("<>") || two.equals("<=") || two.equals(">=")) {
                    tokens.add(new Token(Kind.SYMBOL, two, i));
                    i += 2;
                } else if ("()[],.*=<>+-/%".indexOf(c) >= 0) {
                    tokens.add(new Token(Kind.SYMBOL, String.valueOf(c), i));
                    i++;
                } else {
                    throw new QueryException("SQL query parse failed at position " + i + ": unexpected character '"
                            + c + "'.");
                }
            }
        }
        tokens.add(new Token(Kind.END, "", length));
        return tokens;
    }
}
