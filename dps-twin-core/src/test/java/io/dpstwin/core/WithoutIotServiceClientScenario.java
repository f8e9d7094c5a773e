package io.dpstwin.core;

import io.dpstwin.core.config.CoreOptions;
import io.dpstwin.core.config.SettingValues;
import io.dpstwin.core.config.SettingsException;
import io.dpstwin.core.config.Setting;
import io.dpstwin.core.lifecycle.EventHubsLifecycleParser;
import io.dpstwin.core.lifecycle.LifecycleOutcome;
import io.dpstwin.core.twins.DigitalTwin;
import io.dpstwin.core.twins.HandFakeGateway;

import reactor.core.publisher.Mono;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What a webhook-only application does, run by {@link WithoutIotServiceClientTest} in a class loader without
 * {@code iot-service-client}: read the settings as a host does, build {@link DpsTwin}, allocate a device, retire a
 * deleted one. Answers plain strings, so that nothing crosses the class loaders but JDK types.
 */
public final class WithoutIotServiceClientScenario {

    static final String THERMOSTAT = "dtmi:contosocom:DigitalTwins:Thermostat;1";
    static final String HUB = "contoso-hub.azure-devices.net";

    private WithoutIotServiceClientScenario() {
    }

    private static CoreOptions options(Map<String, String> settings) {
        return CoreOptions.from(SettingValues.read(name -> Optional.ofNullable(settings.get(name)), Setting.Host.BOTH));
    }

    /** The allocation answer's status and body, then the retire flow's outcome. */
    public static List<String> allocateAndRetire() {
        CoreOptions options = options(Map.of("dps-twin.allocation.default-model", THERMOSTAT));
        HandFakeGateway adt = new HandFakeGateway();
        List<String> results = new ArrayList<>();
        try (DpsTwin dpsTwin = DpsTwin.builder()
                .gateway(adt)
                .noRateLimits()
                .allocationOptions(options.allocation())
                .lifecycleOptions(options.lifecycle().toBuilder()
                        .deviceRegistry(options.registryGuard(() -> null).orElse(null)).build())
                .build()) {
            String request = "{\"deviceRuntimeContext\":{\"registrationId\":\"dev-1\",\"symmetricKey\":{},"
                    + "\"payload\":{\"modelId\":\"" + THERMOSTAT + "\"}},\"linkedHubs\":[\"" + HUB + "\"],"
                    + "\"individualEnrollment\":{\"registrationId\":\"dev-1\"}}";
            WebhookResponse answer = dpsTwin.allocation().handle(request);
            results.add(Integer.toString(answer.status()));
            results.add(answer.body());
            results.add(adt.getTwin("dev-1").map(DigitalTwin::modelId).orElse("no twin"));

            LifecycleOutcome outcome = dpsTwin.lifecycle().process(List.of(new EventHubsLifecycleParser().parse(
                    Map.of("iothub-message-schema", "deviceLifecycleNotification", "opType", "deleteDeviceIdentity",
                            "hubName", "contoso-hub", "deviceId", "dev-1",
                            "operationTimestamp", "2026-11-26T10:15:30Z"),
                    Map.of("iothub-connection-device-id", "dev-1", "iothub-message-source", "deviceLifecycleEvents"),
                    "{\"deviceId\":\"dev-1\",\"version\":2}"))).outcomes().get(0).outcome();
            results.add(outcome.name());
            results.add(adt.getTwin("dev-1").isPresent() ? "twin kept" : "twin gone");
        }
        return results;
    }

    /** The settings error when a registry guard is configured but the SDK is missing. */
    public static String registryGuardWithoutTheSdk() {
        try {
            CoreOptions options = options(Map.of("dps-twin.allocation.default-model", THERMOSTAT,
                    "dps-twin.lifecycle.registry-guard.hub-host-names", HUB));
            // a credential that is never asked for a token: building the guard makes no request
            return "no error: " + options.registryGuard(() -> request -> Mono.empty());
        } catch (SettingsException e) {
            return e.getMessage();
        } catch (RuntimeException | LinkageError e) {
            return "unclear failure: " + e;
        }
    }
}
