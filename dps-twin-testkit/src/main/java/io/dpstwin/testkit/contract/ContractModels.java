package io.dpstwin.testkit.contract;

import java.util.List;

/**
 * The DTDL models the gateway contract suite uses (a fixture uploads them before each test).
 *
 * <ul>
 *   <li>{@link #DEVICE} {@value #DEVICE_ID} (DTDL v2): {@code serial} string, {@code temperature} double,
 *       {@code mode} enum (auto, manual), {@code firmware} object (version string, build integer); relationships
 *       {@code connectedTo} (target {@value #GATEWAY_ID}, property {@code since} string) and {@code peer}
 *       (any target).</li>
 *   <li>{@link #GATEWAY} {@value #GATEWAY_ID} (DTDL v2): {@code name} string.</li>
 *   <li>{@link #SMART_GATEWAY} {@value #SMART_GATEWAY_ID} (DTDL v3) extends the gateway: {@code vendor} string.</li>
 *   <li>{@link #THERMOSTAT} {@value #THERMOSTAT_ID} (DTDL v3): {@code setpoint} double and the component
 *       {@code info} of {@link #DEVICE_INFO} {@value #DEVICE_INFO_ID} ({@code manufacturer} string).</li>
 * </ul>
 */
public final class ContractModels {

    public static final String DEVICE_ID = "dtmi:dpstwin:contract:Device;1";
    public static final String GATEWAY_ID = "dtmi:dpstwin:contract:Gateway;1";
    public static final String SMART_GATEWAY_ID = "dtmi:dpstwin:contract:SmartGateway;1";
    public static final String DEVICE_INFO_ID = "dtmi:dpstwin:contract:DeviceInfo;1";
    public static final String THERMOSTAT_ID = "dtmi:dpstwin:contract:Thermostat;1";

    public static final String GATEWAY = """
            {
              "@context": "dtmi:dtdl:context;2",
              "@id": "dtmi:dpstwin:contract:Gateway;1",
              "@type": "Interface",
              "displayName": "Contract gateway",
              "contents": [
                { "@type": "Property", "name": "name", "schema": "string" }
              ]
            }""";

    public static final String SMART_GATEWAY = """
            {
              "@context": "dtmi:dtdl:context;3",
              "@id": "dtmi:dpstwin:contract:SmartGateway;1",
              "@type": "Interface",
              "extends": "dtmi:dpstwin:contract:Gateway;1",
              "contents": [
                { "@type": "Property", "name": "vendor", "schema": "string" }
              ]
            }""";

    public static final String DEVICE = """
            {
              "@context": "dtmi:dtdl:context;2",
              "@id": "dtmi:dpstwin:contract:Device;1",
              "@type": "Interface",
              "displayName": { "en": "Contract device" },
              "contents": [
                { "@type": "Property", "name": "serial", "schema": "string" },
                { "@type": "Property", "name": "temperature", "schema": "double" },
                { "@type": "Property", "name": "mode",
                  "schema": { "@type": "Enum", "valueSchema": "string", "enumValues": [
                    { "name": "auto", "enumValue": "auto" }, { "name": "manual", "enumValue": "manual" } ] } },
                { "@type": "Property", "name": "firmware",
                  "schema": { "@type": "Object", "fields": [
                    { "name": "version", "schema": "string" }, { "name": "build", "schema": "integer" } ] } },
                { "@type": "Telemetry", "name": "reading", "schema": "double" },
                { "@type": "Relationship", "name": "connectedTo", "target": "dtmi:dpstwin:contract:Gateway;1",
                  "properties": [ { "@type": "Property", "name": "since", "schema": "string" } ] },
                { "@type": "Relationship", "name": "peer" }
              ]
            }""";

    public static final String DEVICE_INFO = """
            {
              "@context": "dtmi:dtdl:context;3",
              "@id": "dtmi:dpstwin:contract:DeviceInfo;1",
              "@type": "Interface",
              "contents": [
                { "@type": "Property", "name": "manufacturer", "schema": "string" }
              ]
            }""";

    public static final String THERMOSTAT = """
            {
              "@context": "dtmi:dtdl:context;3",
              "@id": "dtmi:dpstwin:contract:Thermostat;1",
              "@type": "Interface",
              "contents": [
                { "@type": "Property", "name": "setpoint", "schema": "double" },
                { "@type": "Component", "name": "info", "schema": "dtmi:dpstwin:contract:DeviceInfo;1" }
              ]
            }""";

    /** Every contract model, dependencies first. */
    public static final List<String> ALL = List.of(GATEWAY, SMART_GATEWAY, DEVICE, DEVICE_INFO, THERMOSTAT);

    private ContractModels() {
    }
}
