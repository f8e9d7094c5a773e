package io.dpstwin.testkit.adt.query;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Runs a parsed {@link Query} over rows (twins or relationships as ADT returns them).
 *
 * <p>Conditions use three-valued logic as ADT (and Cosmos DB SQL) do: comparing a missing property, or values of
 * different types, is <em>undefined</em>, which is neither true nor false ({@code NOT undefined} is undefined);
 * only rows whose condition is true are returned. Strings compare by ordinal, numbers numerically, booleans only
 * with {@code =} and {@code !=}.
 */
public final class QueryEvaluator {

    /** Tells whether a twin of one model is of another (same model, or extends it unless exact). */
    @FunctionalInterface
    public interface ModelHierarchy {
        boolean isOfModel(String twinModel, String model, boolean exact);
    }

    private final ModelHierarchy models;

    public QueryEvaluator(ModelHierarchy models) {
        this.models = Objects.requireNonNull(models, "models");
    }

    /** The result rows of {@code query} over {@code rows} (which it does not modify). */
    public List<ObjectNode> run(Query query, List<ObjectNode> rows) {
        List<ObjectNode> matching = new ArrayList<>();
        for (ObjectNode row : rows) {
            if (query.where() == null || Boolean.TRUE.equals(test(query.where(), row, query.alias()))) {
                matching.add(row);
                if (query.top() != null && matching.size() >= query.top()
                        && !(query.selection() instanceof Query.Count)) {
                    break;
                }
            }
        }
        List<ObjectNode> result = new ArrayList<>();
        if (query.selection() instanceof Query.Count) {
            ObjectNode count = JsonNodeFactory.instance.objectNode();
            count.put("COUNT", query.top() == null ? matching.size() : Math.min(query.top(), matching.size()));
            result.add(count);
        } else if (query.selection() instanceof Query.Projections) {
            for (ObjectNode row : matching) {
                ObjectNode projected = JsonNodeFactory.instance.objectNode();
                for (Query.Projection projection : ((Query.Projections) query.selection()).projections()) {
                    JsonNode value = resolve(projection.path(), row, query.alias());
                    if (value != null) {
                        projected.set(projection.name(), value.deepCopy());
                    }
                }
                result.add(projected);
            }
        } else {
            for (ObjectNode row : matching) {
                result.add(row.deepCopy());
            }
        }
        return result;
    }

    /** TRUE, FALSE, or null for undefined. */
    private Boolean test(Query.Expr expr, ObjectNode row, String alias) {
        if (expr instanceof Query.And) {
            Boolean left = test(((Query.And) expr).left(), row, alias);
            if (Boolean.FALSE.equals(left)) {
                return false;
            }
            Boolean right = test(((Query.And) expr).right(), row, alias);
            if (Boolean.FALSE.equals(right)) {
                return false;
            }
            return left == null || right == null ? null : true;
        }
        if (expr instanceof Query.Or) {
            Boolean left = test(((Query.Or) expr).left(), row, alias);
            if (Boolean.TRUE.equals(left)) {
                return true;
            }
            Boolean right = test(((Query.Or) expr).right(), row, alias);
            if (Boolean.TRUE.equals(right)) {
                return true;
            }
            return left == null || right == null ? null : false;
        }
        if (expr instanceof Query.Not) {
            Boolean operand = test(((Query.Not) expr).operand(), row, alias);
            return operand == null ? null : !operand;
        }
        if (expr instanceof Query.Comparison) {
            Query.Comparison comparison = (Query.Comparison) expr;
            return compare(value(comparison.left(), row, alias), comparison.operator(),
                    value(comparison.right(), row, alias));
        }
        if (expr instanceof Query.In) {
            Query.In in = (Query.In) expr;
            JsonNode value = value(in.operand(), row, alias);
            if (value == null) {
                return null;
            }
            boolean found = false;
            for (JsonNode candidate : in.values()) {
                if (Boolean.TRUE.equals(compare(value, "=", candidate))) {
                    found = true;
                    break;
                }
            }
            return in.negated() != found;
        }
        if (expr instanceof Query.IsOfModel) {
            Query.IsOfModel isOfModel = (Query.IsOfModel) expr;
            JsonNode model = row.path("$metadata").path("$model");
            return model.isTextual() && models.isOfModel(model.asText(), isOfModel.model(), isOfModel.exact());
        }
        Query.Function function = (Query.Function) expr;
        JsonNode value = resolve(function.path(), row, alias);
        switch (function.name()) {
            case "IS_DEFINED":
                return value != null;
            case "IS_NULL":
                return value != null && value.isNull();
            case "IS_BOOL":
                return value != null && value.isBoolean();
            case "IS_NUMBER":
                return value != null && value.isNumber();
            case "IS_STRING":
                return value != null && value.isTextual();
            case "IS_PRIMITIVE":
                return value != null && (value.isValueNode());
            case "IS_OBJECT":
                return value != null && value.isObject();
            default:
                if (value == null || !value.isTextual()) {
                    return null;
                }
                String text = value.asText();
                String argument = function.argument().asText();
                if (function.name().equals("STARTSWITH")) {
                    return text.startsWith(argument);
                }
                if (function.name().equals("ENDSWITH")) {
                    return text.endsWith(argument);
                }
                return text.contains(argument);
        }
    }

    private static Boolean compare(JsonNode left, String operator, JsonNode right) {
        if (left == null || right == null) {
            return null;
        }
        int order;
        if (left.isNumber() && right.isNumber()) {
            order = left.decimalValue().compareTo(right.decimalValue());
        } else if (left.isTextual() && right.isTextual()) {
            order = left.asText().compareTo(right.asText());
        } else if ((left.isBoolean() && right.isBoolean()) || (left.isNull() && right.isNull())
                || (left.isContainerNode() && left.getNodeType() == right.getNodeType())) {
            boolean equal = left.equals(right);
            switch (operator) {
                case "=":
                    return equal;
                case "!=":
                    return !equal;
                default:
                    return null;
            }
        } else {
            return null;
        }
        switch (operator) {
            case "=":
                return order == 0;
            case "!=":
                return order != 0;
            case "<":
                return order < 0;
            case ">":
                return order > 0;
            case "<=":
                return order <= 0;
            case ">=":
                return order >= 0;
            default:
                return null;
        }
    }

    private static JsonNode value(Query.Operand operand, ObjectNode row, String alias) {
        if (operand instanceof Query.Literal) {
            return ((Query.Literal) operand).value();
        }
        return resolve((Query.Path) operand, row, alias);
    }

    /** The value at {@code path} in {@code row}, or {@code null} when undefined. */
    static JsonNode resolve(Query.Path path, ObjectNode row, String alias) {
        List<String> segments = path.segments();
        int start = alias != null && segments.get(0).equals(alias) ? 1 : 0;
        JsonNode current = row;
        for (int i = start; i < segments.size(); i++) {
            if (current == null || !current.isObject()) {
                return null;
            }
            current = current.get(segments.get(i));
        }
        return current;
    }
}
