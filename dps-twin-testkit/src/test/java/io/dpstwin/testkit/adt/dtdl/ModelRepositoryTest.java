package io.dpstwin.testkit.adt.dtdl;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** DTDL upload checks and twin validation, as ADT makes them. */
class ModelRepositoryTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private final ModelRepository repository = new ModelRepository();

    private static JsonNode json(String text) {
        try {
            return JSON.readTree(text.replace('\'', '"'));
        } catch (Exception e) {
            throw new IllegalArgumentException(text, e);
        }
    }

    private static String iface(int version, String id, String rest) {
        return "{'@context':'dtmi:dtdl:context;" + version + "','@id':'" + id + "','@type':'Interface'"
                + (rest.isEmpty() ? "" : "," + rest) + "}";
    }

    private List<StoredModel> upload(String... models) {
        List<JsonNode> batch = new ArrayList<>();
        for (String model : models) {
            batch.add(json(model));
        }
        return repository.upload(batch, Instant.EPOCH);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', quoteCharacter = '"', value = {
            "no @context | {'@id':'dtmi:a:B;1','@type':'Interface'} | @context is missing",
            "unknown context | {'@context':'dtmi:dtdl:context;9','@id':'dtmi:a:B;1','@type':'Interface'} | names no supported DTDL version",
            "extension in v2 | {'@context':['dtmi:dtdl:context;2','dtmi:dtdl:extension:historization;1'],'@id':'dtmi:a:B;1','@type':'Interface'} | is not supported in DTDL v2",
            "no @id | {'@context':'dtmi:dtdl:context;3','@type':'Interface'} | has no @id",
            "invalid DTMI | {'@context':'dtmi:dtdl:context;3','@id':'urn:a:B','@type':'Interface'} | is not a valid DTMI",
            "v2 DTMI without version | {'@context':'dtmi:dtdl:context;2','@id':'dtmi:a:B','@type':'Interface'} | integer version",
            "not an interface | {'@context':'dtmi:dtdl:context;3','@id':'dtmi:a:B;1','@type':'Telemetry'} | @type must be Interface",
            "inline extends | {'@context':'dtmi:dtdl:context;3','@id':'dtmi:a:B;1','@type':'Interface','extends':{'@type':'Interface'}} | inline interface",
            "v2 extends three | {'@context':'dtmi:dtdl:context;2','@id':'dtmi:a:B;1','@type':'Interface','extends':['dtmi:a:C;1','dtmi:a:D;1','dtmi:a:E;1']} | at most 2",
            "unknown content kind | {'@context':'dtmi:dtdl:context;3','@id':'dtmi:a:B;1','@type':'Interface','contents':[{'@type':'Field','name':'x'}]} | none of Property",
            "content without name | {'@context':'dtmi:dtdl:context;3','@id':'dtmi:a:B;1','@type':'Interface','contents':[{'@type':'Property','schema':'string'}]} | name is missing",
            "bad content name | {'@context':'dtmi:dtdl:context;3','@id':'dtmi:a:B;1','@type':'Interface','contents':[{'@type':'Property','name':'1st','schema':'string'}]} | is invalid",
            "duplicate names | {'@context':'dtmi:dtdl:context;3','@id':'dtmi:a:B;1','@type':'Interface','contents':[{'@type':'Property','name':'x','schema':'string'},{'@type':'Telemetry','name':'x','schema':'double'}]} | more than one element",
            "property without schema | {'@context':'dtmi:dtdl:context;3','@id':'dtmi:a:B;1','@type':'Interface','contents':[{'@type':'Property','name':'x'}]} | schema is missing",
            "unknown primitive | {'@context':'dtmi:dtdl:context;3','@id':'dtmi:a:B;1','@type':'Interface','contents':[{'@type':'Property','name':'x','schema':'text'}]} | not a DTDL v3 primitive",
            "v3 primitive in v2 | {'@context':'dtmi:dtdl:context;2','@id':'dtmi:a:B;1','@type':'Interface','contents':[{'@type':'Property','name':'x','schema':'uuid'}]} | not a DTDL v2 primitive",
            "array property in v2 | {'@context':'dtmi:dtdl:context;2','@id':'dtmi:a:B;1','@type':'Interface','contents':[{'@type':'Property','name':'x','schema':{'@type':'Array','elementSchema':'string'}}]} | need DTDL v3",
            "enum without values | {'@context':'dtmi:dtdl:context;3','@id':'dtmi:a:B;1','@type':'Interface','contents':[{'@type':'Property','name':'x','schema':{'@type':'Enum','valueSchema':'string','enumValues':[]}}]} | non-empty enumValues",
            "enum value of wrong type | {'@context':'dtmi:dtdl:context;3','@id':'dtmi:a:B;1','@type':'Interface','contents':[{'@type':'Property','name':'x','schema':{'@type':'Enum','valueSchema':'integer','enumValues':[{'name':'a','enumValue':'a'}]}}]} | must be an integer",
            "map with integer keys | {'@context':'dtmi:dtdl:context;3','@id':'dtmi:a:B;1','@type':'Interface','contents':[{'@type':'Property','name':'x','schema':{'@type':'Map','mapKey':{'name':'k','schema':'integer'},'mapValue':{'name':'v','schema':'string'}}}]} | mapKey with schema string",
            "inline component | {'@context':'dtmi:dtdl:context;3','@id':'dtmi:a:B;1','@type':'Interface','contents':[{'@type':'Component','name':'c','schema':{'@type':'Interface'}}]} | inline interfaces",
            "relationship target not a DTMI | {'@context':'dtmi:dtdl:context;3','@id':'dtmi:a:B;1','@type':'Interface','contents':[{'@type':'Relationship','name':'r','target':'room'}]} | target must be a DTMI",
            "missing parent | {'@context':'dtmi:dtdl:context;3','@id':'dtmi:a:B;1','@type':'Interface','extends':'dtmi:a:Missing;1'} | neither in this upload nor uploaded before",
            "missing component interface | {'@context':'dtmi:dtdl:context;3','@id':'dtmi:a:B;1','@type':'Interface','contents':[{'@type':'Component','name':'c','schema':'dtmi:a:Missing;1'}]} | neither in this upload nor uploaded before",
            "missing named schema | {'@context':'dtmi:dtdl:context;3','@id':'dtmi:a:B;1','@type':'Interface','contents':[{'@type':'Property','name':'x','schema':'dtmi:a:Unit;1'}]} | defined neither in this upload",
            "self extension | {'@context':'dtmi:dtdl:context;3','@id':'dtmi:a:B;1','@type':'Interface','extends':'dtmi:a:B;1'} | is a cycle",
    })
    void refusesInvalidDtdl(String description, String model, String message) {
        assertThatThrownBy(() -> upload(model)).isInstanceOf(DtdlException.class).hasMessageContaining(message);
        assertThat(repository.size()).isZero();
    }

    @Test
    void uploadsABatchWhoseModelsReferenceEachOtherInAnyOrder() {
        List<StoredModel> stored = upload(
                iface(3, "dtmi:a:Child;1", "'extends':'dtmi:a:Base;1','contents':[{'@type':'Component','name':'info',"
                        + "'schema':'dtmi:a:Info;1'},{'@type':'Property','name':'unit','schema':'dtmi:a:Unit;1'}]"),
                iface(2, "dtmi:a:Base;1", "'contents':[{'@type':'Property','name':'name','schema':'string'}],"
                        + "'schemas':[{'@id':'dtmi:a:Unit;1','@type':'Enum','valueSchema':'string',"
                        + "'enumValues':[{'name':'c','enumValue':'C'},{'name':'f','enumValue':'F'}]}]"),
                iface(3, "dtmi:a:Info;1", "'contents':[{'@type':'Property','name':'vendor','schema':'string'}]"));

        assertThat(stored).extracting(StoredModel::id).containsExactly("dtmi:a:Child;1", "dtmi:a:Base;1",
                "dtmi:a:Info;1");
        assertThat(repository.isOfModel("dtmi:a:Child;1", "dtmi:a:Base;1", false)).isTrue();
        assertThat(repository.isOfModel("dtmi:a:Child;1", "dtmi:a:Base;1", true)).isFalse();
        assertThat(repository.withDependencies(List.of("dtmi:a:Child;1"))).hasSize(3);
        assertThat(repository.validateTwin("dtmi:a:Child;1", (ObjectNode) json(
                "{'name':'n','unit':'C','info':{'$metadata':{},'vendor':'v'}}"))).isEmpty();
        assertThat(repository.validateTwin("dtmi:a:Child;1", (ObjectNode) json("{'unit':'K'}")))
                .anySatisfy(p -> assertThat(p).contains("unit").contains("enum"))
                .anySatisfy(p -> assertThat(p).contains("component info must be initialised"));
    }

    @Test
    void refusesAnUploadThatRedefinesAnInheritedNameOrNestsComponents() {
        upload(iface(3, "dtmi:a:Base;1", "'contents':[{'@type':'Property','name':'name','schema':'string'}]"),
                iface(3, "dtmi:a:Leaf;1", "'contents':[{'@type':'Component','name':'c','schema':'dtmi:a:Base;1'}]"));

        assertThatThrownBy(() -> upload(iface(3, "dtmi:a:Child;1", "'extends':'dtmi:a:Base;1','contents':"
                + "[{'@type':'Property','name':'name','schema':'integer'}]")))
                .isInstanceOf(DtdlException.class).hasMessageContaining("already inherits");
        assertThatThrownBy(() -> upload(iface(3, "dtmi:a:Outer;1", "'contents':[{'@type':'Component','name':'d',"
                + "'schema':'dtmi:a:Leaf;1'}]")))
                .isInstanceOf(DtdlException.class).hasMessageContaining("one level of components");
        assertThatThrownBy(() -> upload(iface(2, "dtmi:a:Old;1", "'extends':'dtmi:a:Base;1'")))
                .isInstanceOf(DtdlException.class).hasMessageContaining("cannot extend the DTDL v3 interface");
    }

    @Test
    void refusesExtendsChainsDeeperThanTen() {
        List<String> chain = new ArrayList<>();
        chain.add(iface(3, "dtmi:a:L0;1", ""));
        for (int i = 1; i <= 10; i++) {
            chain.add(iface(3, "dtmi:a:L" + i + ";1", "'extends':'dtmi:a:L" + (i - 1) + ";1'"));
        }
        upload(chain.toArray(String[]::new));

        assertThatThrownBy(() -> upload(iface(3, "dtmi:a:L11;1", "'extends':'dtmi:a:L10;1'")))
                .isInstanceOf(DtdlException.class).hasMessageContaining("11 levels deep");
    }

    @Test
    void refusesDuplicatesAndDeletesOnlyUnreferencedModels() {
        upload(iface(3, "dtmi:a:Base;1", ""), iface(3, "dtmi:a:Child;1", "'extends':'dtmi:a:Base;1'"));

        assertThatThrownBy(() -> upload(iface(3, "dtmi:a:New;1", ""), iface(3, "dtmi:a:Base;1", "")))
                .isInstanceOfSatisfying(ModelRepositoryException.class,
                        e -> assertThat(e.reason()).isEqualTo(ModelRepositoryException.Reason.ALREADY_EXISTS));
        assertThat(repository.get("dtmi:a:New;1")).as("all or nothing").isEmpty();
        assertThatThrownBy(() -> upload(iface(3, "dtmi:a:X;1", ""), iface(3, "dtmi:a:X;1", "")))
                .isInstanceOf(DtdlException.class).hasMessageContaining("more than once");
        assertThatThrownBy(() -> repository.delete("dtmi:a:Base;1"))
                .isInstanceOfSatisfying(ModelRepositoryException.class,
                        e -> assertThat(e.reason()).isEqualTo(ModelRepositoryException.Reason.REFERENCED));
        repository.delete("dtmi:a:Child;1");
        repository.delete("dtmi:a:Base;1");
        assertThatThrownBy(() -> repository.delete("dtmi:a:Base;1"))
                .isInstanceOfSatisfying(ModelRepositoryException.class,
                        e -> assertThat(e.reason()).isEqualTo(ModelRepositoryException.Reason.NOT_FOUND));
    }

    @Test
    void acceptsCommandsTelemetryAndSemanticTypesButNeverAsTwinProperties() {
        upload(iface(2, "dtmi:a:Thermostat;1", "'contents':[{'@type':['Property','Temperature'],'name':'target',"
                + "'schema':'double','unit':'degreeCelsius'},{'@type':'Command','name':'reboot'},"
                + "{'@type':'Telemetry','name':'temp','schema':'double'}]"));

        assertThat(repository.validateTwin("dtmi:a:Thermostat;1", (ObjectNode) json("{'target':21.5}"))).isEmpty();
        assertThat(repository.validateTwin("dtmi:a:Thermostat;1", (ObjectNode) json("{'temp':1,'reboot':true}")))
                .containsExactly("temp is not a property - it is a Telemetry.",
                        "reboot is not a property - it is a Command.");
    }

    @ParameterizedTest(name = "{0} accepts {1}: {2}")
    @CsvSource(delimiter = '|', quoteCharacter = '"', value = {
            "boolean | true | true", "boolean | 'true' | false",
            "integer | 2147483647 | true", "integer | 2147483648 | false", "integer | 1.5 | false",
            "long | 2147483648 | true", "long | 'x' | false",
            "double | 1.5 | true", "double | 3 | true", "double | '1.5' | false",
            "float | -0.25 | true",
            "string | 'text' | true", "string | 5 | false",
            "date | '2024-02-29' | true", "date | '2023-02-29' | false",
            "dateTime | '2024-01-01T10:00:00Z' | true", "dateTime | '2024-01-01 10:00' | false",
            "time | '10:15:30' | true", "time | '25:00:00' | false",
            "duration | 'P1Y2M3DT4H5M6.5S' | true", "duration | 'PT' | false", "duration | '5 minutes' | false",
            "uuid | '123e4567-e89b-12d3-a456-426614174000' | true", "uuid | 'nope' | false",
            "byte | 127 | true", "byte | 128 | false", "unsignedShort | 65535 | true", "unsignedShort | -1 | false",
            "bytes | 'aGVsbG8=' | true", "bytes | '***' | false",
            "point | {'type':'Point','coordinates':[1,2]} | true", "point | [1,2] | false",
    })
    void checksPrimitiveValues(String schema, String value, boolean valid) {
        upload(iface(3, "dtmi:a:P;1", "'contents':[{'@type':'Property','name':'p','schema':'" + schema + "'}]"));

        List<String> problems = repository.validateTwin("dtmi:a:P;1", (ObjectNode) json("{'p':" + value + "}"));

        assertThat(problems.isEmpty()).as("%s", problems).isEqualTo(valid);
    }

    @Test
    void checksObjectsMapsArraysAndNulls() {
        upload(iface(3, "dtmi:a:C;1", "'contents':["
                + "{'@type':'Property','name':'o','schema':{'@type':'Object','fields':[{'name':'a','schema':'integer'}]}},"
                + "{'@type':'Property','name':'m','schema':{'@type':'Map','mapKey':{'name':'k','schema':'string'},"
                + "'mapValue':{'name':'v','schema':'boolean'}}},"
                + "{'@type':'Property','name':'l','schema':{'@type':'Array','elementSchema':'string'}}]"));

        assertThat(repository.validateTwin("dtmi:a:C;1", (ObjectNode) json(
                "{'o':{'a':1},'m':{'x':true,'y':false},'l':['a','b']}"))).isEmpty();
        assertThat(repository.validateTwin("dtmi:a:C;1", (ObjectNode) json(
                "{'o':{'a':'1','b':2},'m':{'x':1},'l':['a',2],'z':null}")))
                .containsExactlyInAnyOrder("o.a must be of schema integer, found \"1\".",
                        "o.b is not a field of the Object schema of o.",
                        "m.x must be of schema boolean, found 1.",
                        "l[1] must be of schema string, found 2.",
                        "z is not a property or component of dtmi:a:C;1 (nor of the models it extends).");
        assertThat(repository.validateTwin("dtmi:a:C;1", (ObjectNode) json("{'o':null}")))
                .containsExactly("o must not be null.");
    }

    @Test
    void checksRelationshipsAgainstTheSourceModel() {
        upload(iface(3, "dtmi:a:Room;1", ""),
                iface(3, "dtmi:a:MeetingRoom;1", "'extends':'dtmi:a:Room;1'"),
                iface(3, "dtmi:a:Floor;1", "'contents':[{'@type':'Relationship','name':'contains',"
                        + "'target':'dtmi:a:Room;1','properties':[{'@type':'Property','name':'since','schema':'date'}]}]"),
                iface(3, "dtmi:a:Wing;1", "'extends':'dtmi:a:Floor;1'"));

        assertThat(repository.relationshipProblem("dtmi:a:Wing;1", "contains", "dtmi:a:MeetingRoom;1")).isNull();
        assertThat(repository.relationshipProblem("dtmi:a:Floor;1", "contains", "dtmi:a:Floor;1"))
                .contains("must target twins of dtmi:a:Room;1");
        assertThat(repository.relationshipProblem("dtmi:a:Room;1", "contains", "dtmi:a:Room;1"))
                .contains("is not defined in the model");
        assertThat(repository.validateRelationshipProperties("dtmi:a:Floor;1", "contains",
                (ObjectNode) json("{'since':'yesterday','x':1}"))).hasSize(2);
    }
}
