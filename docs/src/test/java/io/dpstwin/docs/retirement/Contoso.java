package io.dpstwin.docs.retirement;

/**
 * The models the retirement and reconciliation examples name, as DTDL the testkit's ADT accepts: devices (with the
 * {@code status} and {@code retiredBy} properties a custom retirement policy writes), thermostats and sensors that
 * extend them, and rooms that contain devices, so that twins have incoming and outgoing relationships.
 */
public final class Contoso {

    public static final String DEVICE = "dtmi:com:contoso:Device;1";
    public static final String THERMOSTAT = "dtmi:com:contoso:Thermostat;1";
    public static final String SENSOR = "dtmi:com:contoso:Sensor;1";
    public static final String ROOM = "dtmi:com:contoso:Room;1";

    public static final String DEVICE_DTDL = """
            {"@context": "dtmi:dtdl:context;3", "@id": "dtmi:com:contoso:Device;1", "@type": "Interface",
             "contents": [
               {"@type": "Property", "name": "status", "schema": "string"},
               {"@type": "Property", "name": "retiredBy", "schema": "string"},
               {"@type": "Relationship", "name": "reportsTo"}]}""";
    public static final String THERMOSTAT_DTDL = """
            {"@context": "dtmi:dtdl:context;3", "@id": "dtmi:com:contoso:Thermostat;1", "@type": "Interface",
             "extends": "dtmi:com:contoso:Device;1",
             "contents": [{"@type": "Property", "name": "temperature", "schema": "double"}]}""";
    public static final String SENSOR_DTDL = """
            {"@context": "dtmi:dtdl:context;3", "@id": "dtmi:com:contoso:Sensor;1", "@type": "Interface",
             "extends": "dtmi:com:contoso:Device;1"}""";
    public static final String ROOM_DTDL = """
            {"@context": "dtmi:dtdl:context;3", "@id": "dtmi:com:contoso:Room;1", "@type": "Interface",
             "contents": [{"@type": "Relationship", "name": "contains"}]}""";

    /** Every model, in upload order (bases first). */
    public static final String[] MODELS = {DEVICE_DTDL, THERMOSTAT_DTDL, SENSOR_DTDL, ROOM_DTDL};

    private Contoso() {
    }
}
