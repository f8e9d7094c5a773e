package io.dpstwin.testkit.adt.query;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.List;
import java.util.Objects;

/**
 * A parsed query of the subset the emulator supports (see {@link QueryParser}).
 *
 * @param source    the collection queried
 * @param alias     the collection alias ({@code FROM DIGITALTWINS T}), or {@code null}
 * @param selection what each result row holds
 * @param top       the {@code TOP(n)} limit, or {@code null}
 * @param where     the filter, or {@code null} for every row
 */
public record Query(Source source, String alias, Selection selection, Integer top, Expr where) {

    public Query {
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(selection, "selection");
    }

    /** The collections of {@code FROM}. */
    public enum Source { DIGITALTWINS, RELATIONSHIPS }

    /** The {@code SELECT} clause. */
    public sealed interface Selection permits All, Count, Projections {
    }

    /** {@code SELECT *} (or {@code SELECT TOP(n)} without projections): whole rows. */
    public record All() implements Selection {
    }

    /** {@code SELECT COUNT()}: one row {@code {"COUNT": n}}. */
    public record Count() implements Selection {
    }

    /** {@code SELECT a, T.b AS c}: one object per row with the named values. */
    public record Projections(List<Projection> projections) implements Selection {
        public Projections {
            projections = List.copyOf(projections);
        }
    }

    /** One projected value: a path and the key it gets in the row. */
    public record Projection(Path path, String name) {
    }

    /** A dotted path such as {@code T.$metadata.$model} (the alias, if any, is kept as first segment). */
    public record Path(List<String> segments) implements Operand {
        public Path {
            segments = List.copyOf(segments);
        }

        @Override
        public String toString() {
            return String.join(".", segments);
        }
    }

    /** A boolean expression of the {@code WHERE} clause. */
    public sealed interface Expr permits And, Or, Not, Comparison, In, IsOfModel, Function {
    }

    public record And(Expr left, Expr right) implements Expr {
    }

    public record Or(Expr left, Expr right) implements Expr {
    }

    public record Not(Expr operand) implements Expr {
    }

    /** {@code left op right} with {@code op} one of {@code = != < > <= >=}. */
    public record Comparison(Operand left, String operator, Operand right) implements Expr {
    }

    /** {@code operand IN [...]} or, negated, {@code NOT IN} / {@code NIN}. */
    public record In(Operand operand, List<JsonNode> values, boolean negated) implements Expr {
        public In {
            values = List.copyOf(values);
        }
    }

    /** {@code IS_OF_MODEL([alias,] 'dtmi' [, exact])}. */
    public record IsOfModel(String model, boolean exact) implements Expr {
    }

    /** A one-path function such as {@code IS_DEFINED(p)} or {@code STARTSWITH(p, 'x')}. */
    public record Function(String name, Path path, JsonNode argument) implements Expr {
    }

    /** A comparison operand. */
    public sealed interface Operand permits Path, Literal {
    }

    /** A string, number, boolean or null literal. */
    public record Literal(JsonNode value) implements Operand {
    }
}
