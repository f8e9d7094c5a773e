package io.dpstwin.core.reconcile;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import io.dpstwin.core.internal.reconcile.AdtQueries;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class AdtQueriesTest {

    @Test
    void aPlainValueIsQuotedUnchanged() {
        assertThat(AdtQueries.literal("dev-1")).isEqualTo("'dev-1'");
        assertThat(AdtQueries.literal("")).isEqualTo("''");
    }

    @Test
    void aSingleQuoteIsEscapedWithABackslash() {
        assertThat(AdtQueries.literal("D'Souza")).isEqualTo("'D\\'Souza'");
    }

    @Test
    void aBackslashIsDoubled() {
        assertThat(AdtQueries.literal("a\\b")).isEqualTo("'a\\\\b'");
    }

    @Test
    void aBackslashBeforeAQuoteCannotUnescapeTheQuote() {
        // Input: x\'  -> the backslash is doubled and the quote escaped: 'x\\\''
        assertThat(AdtQueries.literal("x\\'")).isEqualTo("'x\\\\\\''");
        assertThat(QueryLiterals.parse(AdtQueries.literal("x\\'")).literals()).containsExactly("x\\'");
    }

    @ParameterizedTest
    @ValueSource(strings = {"o'brien", "a\\b", "\\", "'", "''", "\\'", "x') OR IS_OF_MODEL('dtmi:a:b;1",
            "a'] OR $dtId IN ['b", "ünïcødé ☃", "trailing\\"})
    void everyValueRoundTripsAsExactlyOneLiteral(String value) {
        QueryLiterals.Parsed parsed = QueryLiterals.parse(AdtQueries.twinsOfModel(value));

        assertThat(parsed.skeleton()).isEqualTo("SELECT * FROM DIGITALTWINS WHERE IS_OF_MODEL(?)");
        assertThat(parsed.literals()).containsExactly(value);
    }

    @ParameterizedTest
    @ValueSource(strings = {"a\nb", "a\rb", "tab\there", "nul\u0000", "bell\u0007", "del\u007f"})
    void controlCharactersAreRefused(String value) {
        assertThatThrownBy(() -> AdtQueries.literal(value))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("control characters");
    }

    @Test
    void nullIsRefused() {
        assertThatThrownBy(() -> AdtQueries.literal(null)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void twinsOfAModelUseIsOfModel() {
        assertThat(AdtQueries.twinsOfModel("dtmi:com:example:Thermostat;1"))
                .isEqualTo("SELECT * FROM DIGITALTWINS WHERE IS_OF_MODEL('dtmi:com:example:Thermostat;1')");
    }

    @Test
    void twinsWithIdsEscapeEveryId() {
        String query = AdtQueries.twinsWithIds(List.of("a", "o'b", "c\\d"));

        assertThat(query).isEqualTo("SELECT * FROM DIGITALTWINS WHERE $dtId IN ['a', 'o\\'b', 'c\\\\d']");
        QueryLiterals.Parsed parsed = QueryLiterals.parse(query);
        assertThat(parsed.skeleton()).isEqualTo("SELECT * FROM DIGITALTWINS WHERE $dtId IN [?, ?, ?]");
        assertThat(parsed.literals()).containsExactly("a", "o'b", "c\\d");
    }

    @Test
    void twinsWithIdsRefusesAnEmptyOrOversizedList() {
        assertThatThrownBy(() -> AdtQueries.twinsWithIds(List.of())).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> AdtQueries.twinsWithIds(Collections.nCopies(51, "x")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("50");
        assertThatThrownBy(() -> AdtQueries.twinsWithIds(List.of("x".repeat(8000))))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("8000");
    }

    @Test
    void batchesHoldAtMostFiftyIdsAndKeepEveryIdOnceInOrder() {
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 123; i++) {
            ids.add("dev-" + i + (i % 7 == 0 ? "'q" : ""));
        }

        List<String> queries = AdtQueries.twinsWithIdsBatches(ids);

        assertThat(queries).hasSize(3);
        List<String> seen = new ArrayList<>();
        for (String query : queries) {
            List<String> literals = QueryLiterals.parse(query).literals();
            assertThat(literals).hasSizeLessThanOrEqualTo(AdtQueries.MAX_IN_ITEMS);
            seen.addAll(literals);
        }
        assertThat(seen).containsExactlyElementsOf(ids);
    }

    @Test
    void batchesStayUnderTheQueryLengthLimit() {
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            ids.add(i + "-" + "l".repeat(500));
        }

        List<String> queries = AdtQueries.twinsWithIdsBatches(ids);

        assertThat(queries).hasSizeGreaterThan(1);
        assertThat(queries).allSatisfy(q -> assertThat(q.length()).isLessThanOrEqualTo(AdtQueries.MAX_QUERY_LENGTH));
        assertThat(queries.stream().flatMap(q -> QueryLiterals.parse(q).literals().stream()).toList())
                .containsExactlyElementsOf(ids);
    }

    @Test
    void noIdsMeanNoBatches() {
        assertThat(AdtQueries.twinsWithIdsBatches(List.of())).isEmpty();
    }
}
