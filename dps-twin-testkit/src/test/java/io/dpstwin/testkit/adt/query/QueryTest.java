package io.dpstwin.testkit.adt.query;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The supported query subset: what it returns, and the clear errors for everything else. */
class QueryTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String ROOM = "dtmi:a:Room;1";
    private static final String MEETING_ROOM = "dtmi:a:MeetingRoom;1";
    private static final String FLOOR = "dtmi:a:Floor;1";

    private final QueryEvaluator evaluator = new QueryEvaluator((twinModel, model, exact) ->
            twinModel.equals(model) || (!exact && twinModel.equals(MEETING_ROOM) && model.equals(ROOM)));

    private final List<ObjectNode> twins = List.of(
            twin("r1", ROOM, "{'temperature':21.5,'occupied':true,'size':{'seats':4}}").put("name", "D'Souza"),
            twin("r2", MEETING_ROOM, "{'name':'Board','temperature':19,'occupied':false,'size':{'seats':12}}"),
            twin("r3", ROOM, "{'name':'Lab','temperature':23}"),
            twin("f1", FLOOR, "{'name':'Ground','level':0}"));

    private static ObjectNode twin(String id, String model, String properties) {
        try {
            ObjectNode node = (ObjectNode) JSON.readTree(properties.replace('\'', '"'));
            node.put("$dtId", id);
            node.putObject("$metadata").put("$model", model);
            return node;
        } catch (Exception e) {
            throw new IllegalArgumentException(properties, e);
        }
    }

    private List<String> ids(String query) {
        List<String> ids = new ArrayList<>();
        evaluator.run(QueryParser.parse(query), twins).forEach(row -> ids.add(row.path("$dtId").asText()));
        return ids;
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', quoteCharacter = '"', value = {
            "SELECT * FROM DIGITALTWINS | r1,r2,r3,f1",
            "select * from digitaltwins | r1,r2,r3,f1",
            "SELECT * FROM DIGITALTWINS T WHERE T.$dtId = 'r2' | r2",
            "SELECT * FROM DIGITALTWINS WHERE $dtId IN ['r1', 'f1', 'zz'] | r1,f1",
            "SELECT * FROM DIGITALTWINS WHERE $dtId NIN ['r1', 'f1'] | r2,r3",
            "SELECT * FROM DIGITALTWINS T WHERE T.$dtId NOT IN ['r1'] | r2,r3,f1",
            "SELECT * FROM DIGITALTWINS WHERE IS_OF_MODEL('dtmi:a:Room;1') | r1,r2,r3",
            "SELECT * FROM DIGITALTWINS DT WHERE IS_OF_MODEL(DT, 'dtmi:a:Room;1', exact) | r1,r3",
            "SELECT * FROM DIGITALTWINS T WHERE T.$metadata.$model = 'dtmi:a:Floor;1' | f1",
            "SELECT * FROM DIGITALTWINS T WHERE T.temperature > 20 | r1,r3",
            "SELECT * FROM DIGITALTWINS T WHERE T.temperature >= 19 AND T.temperature <= 21.5 | r1,r2",
            "SELECT * FROM DIGITALTWINS T WHERE T.temperature < 20 OR T.level = 0 | r2,f1",
            "SELECT * FROM DIGITALTWINS T WHERE T.temperature != 19 | r1,r3",
            "SELECT * FROM DIGITALTWINS T WHERE T.temperature <> 19 | r1,r3",
            "SELECT * FROM DIGITALTWINS T WHERE NOT (T.temperature > 20) | r2",
            "SELECT * FROM DIGITALTWINS T WHERE T.occupied = true | r1",
            "SELECT * FROM DIGITALTWINS T WHERE T.occupied = false | r2",
            "SELECT * FROM DIGITALTWINS T WHERE T.size.seats > 5 | r2",
            "SELECT * FROM DIGITALTWINS T WHERE T.name = 'D\\'Souza' | r1",
            "SELECT * FROM DIGITALTWINS T WHERE T.name > 'C' | r1,r3,f1",
            "SELECT * FROM DIGITALTWINS T WHERE IS_DEFINED(T.occupied) | r1,r2",
            "SELECT * FROM DIGITALTWINS T WHERE NOT IS_DEFINED(T.occupied) | r3,f1",
            "SELECT * FROM DIGITALTWINS T WHERE STARTSWITH(T.$dtId, 'r') AND ENDSWITH(T.name, 'b') | r3",
            "SELECT * FROM DIGITALTWINS T WHERE CONTAINS(T.name, 'oar') | r2",
            "SELECT * FROM DIGITALTWINS T WHERE IS_NUMBER(T.level) OR IS_OBJECT(T.size) | r1,r2,f1",
            "SELECT * FROM DIGITALTWINS T WHERE (T.name = 'Lab' OR T.name = 'Board') AND IS_OF_MODEL('dtmi:a:Room;1', exact) | r3",
            "SELECT * FROM DIGITALTWINS T WHERE T.temperature = 'warm' | none",
            "SELECT TOP(2) FROM DIGITALTWINS | r1,r2",
            "SELECT TOP(2) * FROM DIGITALTWINS WHERE IS_OF_MODEL('dtmi:a:Room;1') | r1,r2",
            "SELECT * FROM DIGITALTWINS WHERE [[name]] = 'Lab' | r3",
    })
    void selectsTheMatchingTwins(String query, String expected) {
        List<String> wanted = expected.equals("none") ? List.of() : List.of(expected.split(","));
        assertThat(ids(query)).containsExactlyElementsOf(wanted);
    }

    @Test
    void countsProjectsAndAliases() {
        assertThat(evaluator.run(QueryParser.parse("SELECT COUNT() FROM DIGITALTWINS WHERE IS_OF_MODEL('" + ROOM
                + "')"), twins)).singleElement().hasToString("{\"COUNT\":3}");
        assertThat(evaluator.run(QueryParser.parse("SELECT COUNT() FROM DIGITALTWINS WHERE $dtId = 'none'"), twins))
                .singleElement().hasToString("{\"COUNT\":0}");
        assertThat(evaluator.run(QueryParser.parse("SELECT T.$dtId, T.size.seats AS seats, T.missing FROM "
                + "DIGITALTWINS T WHERE IS_DEFINED(T.size)"), twins))
                .extracting(ObjectNode::toString)
                .containsExactly("{\"$dtId\":\"r1\",\"seats\":4}", "{\"$dtId\":\"r2\",\"seats\":12}");
        assertThat(evaluator.run(QueryParser.parse("SELECT TOP(1) T FROM DIGITALTWINS T"), twins))
                .singleElement().satisfies(row -> assertThat(row.get("T").get("$dtId").asText()).isEqualTo("r1"));
    }

    @Test
    void queriesRelationships() {
        List<ObjectNode> relationships = new ArrayList<>();
        for (String[] r : new String[][]{{"a", "f1", "r1", "contains"}, {"b", "f1", "r2", "contains"},
                {"c", "r1", "r2", "adjacent"}}) {
            ObjectNode node = JSON.createObjectNode();
            node.put("$relationshipId", r[0]).put("$sourceId", r[1]).put("$targetId", r[2])
                    .put("$relationshipName", r[3]);
            relationships.add(node);
        }

        Query query = QueryParser.parse("SELECT * FROM RELATIONSHIPS R WHERE R.$sourceId = 'f1' AND "
                + "R.$relationshipName IN ['contains']");

        assertThat(query.source()).isEqualTo(Query.Source.RELATIONSHIPS);
        assertThat(evaluator.run(query, relationships)).extracting(n -> n.get("$relationshipId").asText())
                .containsExactly("a", "b");
        assertThat(evaluator.run(QueryParser.parse("SELECT * FROM RELATIONSHIPS WHERE $targetId = 'r2'"),
                relationships)).hasSize(2);
        assertThat(evaluator.run(QueryParser.parse("SELECT COUNT() FROM RELATIONSHIPS"), relationships))
                .singleElement().hasToString("{\"COUNT\":3}");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', quoteCharacter = '"', value = {
            "SELEKT * FROM DIGITALTWINS | expected SELECT, found 'SELEKT'",
            "SELECT * FROM DIGITALTWIN | FROM must name DIGITALTWINS or RELATIONSHIPS",
            "SELECT * FROM DIGITALTWINS T JOIN C RELATED T.contains | JOIN is not supported",
            "SELECT * FROM DIGITALTWINS MATCH (a)-[r]->(b) | MATCH is not supported",
            "SELECT * FROM DIGITALTWINS T ORDER BY T.name | ORDER BY is not supported",
            "SELECT * FROM DIGITALTWINS WHERE | expected a property path or a literal, found the end of the query",
            "SELECT * FROM DIGITALTWINS WHERE name | expected a comparison operator",
            "SELECT * FROM DIGITALTWINS WHERE temperature + 1 > 2 | arithmetic is not supported",
            "SELECT * FROM DIGITALTWINS WHERE name = 'open | string literal is not closed",
            "SELECT * FROM DIGITALTWINS WHERE name = 'a\\q' | unknown escape",
            "SELECT * FROM DIGITALTWINS WHERE LOWER(name) = 'a' | the function LOWER is not supported",
            "SELECT * FROM DIGITALTWINS WHERE IS_OF_MODEL(T, 'dtmi:a:B;1') | declares no alias",
            "SELECT * FROM DIGITALTWINS X WHERE IS_OF_MODEL(T, 'dtmi:a:B;1') | must be the collection alias X",
            "SELECT * FROM DIGITALTWINS WHERE IS_OF_MODEL('dtmi:a:B;1', strict) | can only be exact",
            "SELECT TOP(0) FROM DIGITALTWINS | TOP needs a positive integer",
            "SELECT *, name FROM DIGITALTWINS | expected FROM, found ','",
            "SELECT * FROM DIGITALTWINS WHERE $dtId IN ['a', name] | IN lists may hold only literals",
            "SELECT * FROM DIGITALTWINS WHERE names[0] = 'a' | array indexing is not supported",
            "SELECT * FROM DIGITALTWINS WHERE a = 1 extra | unexpected 'extra'",
            "SELECT * FROM DIGITALTWINS WHERE a = 1 # | unexpected character '#'",
    })
    void explainsWhatItDoesNotUnderstand(String query, String message) {
        assertThatThrownBy(() -> QueryParser.parse(query)).isInstanceOf(QueryException.class)
                .hasMessageContaining(message);
    }

    @Test
    void enforcesAdtLimits() {
        assertThatThrownBy(() -> QueryParser.parse(" ")).hasMessageContaining("The query is empty");
        assertThatThrownBy(() -> QueryParser.parse("SELECT * FROM DIGITALTWINS WHERE name = '" + "x".repeat(8000) + "'"))
                .hasMessageContaining("ADT allows at most 8000");
        StringBuilder manyIn = new StringBuilder("SELECT * FROM DIGITALTWINS WHERE $dtId IN [");
        for (int i = 0; i < 51; i++) {
            manyIn.append(i == 0 ? "" : ",").append("'t").append(i).append('\'');
        }
        assertThatThrownBy(() -> QueryParser.parse(manyIn + "]")).hasMessageContaining("at most 50 items");
        StringBuilder manyOr = new StringBuilder("SELECT * FROM DIGITALTWINS WHERE a = 0");
        for (int i = 1; i <= 51; i++) {
            manyOr.append(" OR a = ").append(i);
        }
        assertThatThrownBy(() -> QueryParser.parse(manyOr.toString())).hasMessageContaining("more than 50 AND/OR");
    }
}
