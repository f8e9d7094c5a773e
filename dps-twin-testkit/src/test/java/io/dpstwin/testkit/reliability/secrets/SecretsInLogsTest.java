package io.dpstwin.testkit.reliability.secrets;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import com.azure.core.http.policy.HttpLogDetailLevel;
import com.azure.core.http.policy.HttpLogOptions;
import com.azure.digitaltwins.core.DigitalTwinsClient;
import io.dpstwin.core.DpsTwin;
import io.dpstwin.core.WebhookResponse;
import io.dpstwin.core.allocation.AllocationOptions;
import io.dpstwin.core.allocation.ParentTwinResolver;
import io.dpstwin.core.allocation.Placement;
import io.dpstwin.core.lifecycle.BatchResult;
import io.dpstwin.core.lifecycle.EventGridLifecycleParser;
import io.dpstwin.core.lifecycle.LifecycleOptions;
import io.dpstwin.core.lifecycle.LifecycleOutcome;
import io.dpstwin.core.lifecycle.ParsedEvent;
import io.dpstwin.core.retirement.IotHubDeviceRegistry;
import io.dpstwin.core.twins.DigitalTwinsClients;
import io.dpstwin.testkit.adt.AdtOperation;
import io.dpstwin.testkit.adt.InMemoryDigitalTwins;
import io.dpstwin.testkit.emulator.AdtEmulator;
import io.dpstwin.testkit.flows.Contoso;
import io.dpstwin.testkit.iothub.EventGridEvents;
import io.dpstwin.testkit.iothub.IotHubEvent;
import io.dpstwin.testkit.iothub.IotHubEvents;
import io.dpstwin.testkit.junit.AdtEmulatorExtension;
import io.dpstwin.testkit.reliability.fuzz.RequestSpec;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static io.dpstwin.testkit.flows.Contoso.HUB_1;
import static io.dpstwin.testkit.flows.Contoso.HUB_1_NAME;
import static io.dpstwin.testkit.flows.Contoso.HUB_2;
import static io.dpstwin.testkit.flows.Contoso.THERMOSTAT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Both flows and their configuration fed with the {@link Canaries} where secrets travel (attestation data, enrollment
 * keys, the webhook's function key, SAS tokens and connection strings in payloads and device twins, IoT Hub
 * connection strings of the registry guard, the SDK's bearer token), with every client-side logger at TRACE and
 * azure-core's HTTP logging at its most verbose: no log line may show one. This class checks its own lines at
 * once; the whole test run is checked by {@code LogSecretsVerdict} at the end of the build.
 */
class SecretsInLogsTest {

    private static final List<String> VERBOSE = List.of("io.dpstwin", "com.azure", "reactor", "io.netty",
            "com.microsoft.azure.sdk.iot");

    @RegisterExtension
    static final AdtEmulatorExtension ADT = AdtEmulatorExtension.newInstance().modelResources(Contoso.MODELS).build();

    private final Map<String, Level> previousLevels = new HashMap<>();
    private CapturingAppender.Tap tap;

    @BeforeEach
    void everythingAtTrace() {
        for (String name : VERBOSE) {
            Logger logger = (Logger) LoggerFactory.getLogger(name);
            previousLevels.put(name, logger.getLevel());
            logger.setLevel(Level.TRACE);
        }
        tap = CapturingAppender.tap();
    }

    @AfterEach
    void restore() {
        tap.close();
        previousLevels.forEach((name, level) -> ((Logger) LoggerFactory.getLogger(name)).setLevel(level));
    }

    private void assertNoSecretIn(List<String> lines) {
        assertThat(lines).as("captured lines").isNotEmpty();
        assertThat(lines).allSatisfy(line -> {
            assertThat(Canaries.leakIn(line)).as("canary in %s", abbreviate(line)).isNull();
            assertThat(CapturingAppender.secretShapeIn(line)).as("secret in %s", abbreviate(line)).isNull();
        });
    }

    private static String abbreviate(String line) {
        return line.length() <= 300 ? line : line.substring(0, 300) + "...";
    }

    @Test
    void theProvisionFlowLogsNoKeyTokenOrConnectionStringEvenAtTrace() {
        AdtEmulator emulator = ADT.emulator();
        InMemoryDigitalTwins adt = Contoso.direct(emulator);
        Contoso.room(adt, "room-1");
        DigitalTwinsClient client = DigitalTwinsClients.builder()
                .endpoint(emulator.endpoint())
                .credential(Canaries.credential())
                .httpClient(emulator.httpClient())
                .httpLogOptions(new HttpLogOptions().setLogLevel(HttpLogDetailLevel.BODY_AND_HEADERS))
                .build();
        RequestSpec secretive = new RequestSpec(false, "thermo-1", null, 2, List.of(HUB_1, HUB_2), null, true, true,
                true, Map.of());
        String valid = secretive.toObjectNode().toString();
        Map<String, Integer> bodies = new java.util.LinkedHashMap<>();
        bodies.put(valid, 200);
        bodies.put(new RequestSpec(true, "thermo-2", "thermo-2-device", 1, List.of(HUB_2), HUB_2, false, false, true,
                Map.of()).toObjectNode().toString(), 200);
        bodies.put(valid.replace("\"thermo-1\"", "\"thermo-5\"").replace("\"symmetricKey\":{}",
                "\"symmetricKey\":{\"primaryKey\":\"" + Canaries.DEVICE_KEY + "\"}"), 200);
        bodies.put(valid.replace("\"thermo-1\"", "\"thermo-6\"").replace("\"tpm\":{",
                "\"tpm\":\"" + Canaries.TPM_ENDORSEMENT_KEY + "\",\"tpmIgnored\":{"), 200);
        bodies.put(valid.substring(0, valid.indexOf(Canaries.PAYLOAD_PASSWORD) + 20), 400);
        bodies.put(valid.replace("\"registrationId\":\"thermo-1\"",
                "\"registrationId\":{\"primaryKey\":\"" + Canaries.GROUP_KEY + "\"}"), 400);
        bodies.put(valid.replaceFirst("\"payload\":\\{", "\"payload\":\"" + Canaries.SAS_TOKEN
                + "\",\"payloadIgnored\":{"), 400);
        bodies.put(valid.replace("\"parentTwinId\":\"room-1\"", "\"parentTwinId\":\"room-404\""), 400);
        bodies.put(valid.replace("\"thermo-1\"", "\"thermo-7\"")
                .replace(THERMOSTAT, "dtmi:contosocom:DigitalTwins:Toaster;1"), 400);
        String thermo3 = valid.replace("\"thermo-1\"", "\"thermo-3\"");
        bodies.put(thermo3.substring(0, thermo3.length() - 1) + ",\"padding\":\"" + "x".repeat(100_000) + "\"}", 413);
        List<WebhookResponse> answers = new ArrayList<>();
        try (DpsTwin dpsTwin = DpsTwin.builder().digitalTwinsClient(client).defaultModelId(THERMOSTAT)
                .allocationOptions(AllocationOptions.builder()
                        .initialProperties(THERMOSTAT, Map.of("Temperature", 20.0))
                        .placement(Placement.under(ParentTwinResolver.payloadField("parentTwinId")))
                        .build())
                .build()) {
            emulator.faults().throttleNext(Duration.ofSeconds(1));
            for (String body : bodies.keySet()) {
                answers.add(dpsTwin.allocation().handle(body));
            }
            emulator.faults().unavailable(1.0, AdtOperation.GET_TWIN);
            answers.add(dpsTwin.allocation().handle(valid.replace("\"thermo-1\"", "\"thermo-4\"")));
        }

        List<Integer> expected = new ArrayList<>(bodies.values());
        expected.add(503);
        assertThat(answers).extracting(WebhookResponse::status).containsExactlyElementsOf(expected);
        assertThat(answers).allSatisfy(a -> assertThat(Canaries.leakIn(a.body())).as(a.body()).isNull());
        List<String> lines = tap.lines();
        assertNoSecretIn(lines);
        // the capture saw what it had to see: azure-core's header dumps, the redacted request dumps, the rejections
        assertThat(lines).anySatisfy(l -> assertThat(l).contains("\"az.sdk.message\":\"HTTP request\"")
                .contains("\"redactedHeaders\":\"Authorization\""));
        assertThat(lines).anySatisfy(l -> assertThat(l).contains("Allocation request (redacted)"));
        assertThat(lines).anySatisfy(l -> assertThat(l).contains("Rejected allocation request of")
                .contains("too large").doesNotContain("xxxxxxxx"));
        assertThat(lines).anySatisfy(l -> assertThat(l).contains("WARN").contains("AdtRejected"));
    }

    @Test
    void theRetireFlowAndTheRegistryGuardLogNoSecretEvenWhenEventsAreDeadLettered() {
        AdtEmulator emulator = ADT.emulator();
        InMemoryDigitalTwins adt = Contoso.direct(emulator);
        Contoso.thermostatTwin(adt, "thermo-1");
        Contoso.thermostatTwin(adt, "thermo-2");
        Contoso.thermostatTwin(adt, "thermo-3");
        IotHubEvent deleted = IotHubEvents.deviceDeleted(HUB_1_NAME, "thermo-1")
                .withTag("sasToken", Canaries.SAS_TOKEN)
                .withDesiredProperty("connectionString", Canaries.STORAGE_CONNECTION_STRING)
                .withReportedProperty("password", Canaries.PAYLOAD_PASSWORD);
        List<IotHubEvent> events = List.of(
                deleted,
                IotHubEvents.deviceDeleted(HUB_1_NAME, "thermo-9").withBody("{\"deviceId\":\"thermo-9\",\"password\":\""
                        + Canaries.PAYLOAD_PASSWORD + "\",\"tags\":"),
                IotHubEvents.deviceCreated(HUB_1_NAME, "toaster-1")
                        .withTag("dtmi", "dtmi:contosocom:DigitalTwins:Toaster;1")
                        .withTag("primaryKey", Canaries.DEVICE_KEY),
                IotHubEvents.twinUpdated(HUB_1_NAME, "thermo-2").withDesiredProperty("sharedAccessKey",
                        Canaries.SHARED_ACCESS_KEY));
        List<ParsedEvent> batch = new ArrayList<>(Contoso.eventHubsBatch(events));
        batch.addAll(new EventGridLifecycleParser().parse(EventGridEvents.toJson(
                IotHubEvents.deviceDeleted(HUB_1_NAME, "thermo-2").withTag("sasToken", Canaries.SAS_TOKEN))));

        BatchResult result;
        try (DpsTwin dpsTwin = Contoso.dpsTwin(emulator).build()) { // the default, logging dead-letter sink
            emulator.faults().throttleNext(Duration.ofSeconds(1));
            result = dpsTwin.lifecycle().process(batch);
        }
        // the registry guard over a hub that cannot be reached: IoT Hub's SDK signs a SAS token with the canary key
        IotHubDeviceRegistry registry = IotHubDeviceRegistry.fromConnectionStrings(
                List.of(Canaries.IOT_HUB_CONNECTION_STRING));
        BatchResult guarded;
        try (DpsTwin dpsTwin = Contoso.dpsTwin(emulator)
                .lifecycleOptions(LifecycleOptions.builder().deviceRegistry(registry).maxAttempts(2)
                        .backoff(Duration.ofMillis(10), Duration.ofMillis(10)).build())
                .build()) {
            guarded = dpsTwin.lifecycle().process(Contoso.eventHubsBatch(
                    IotHubEvents.deviceDeleted(HUB_1_NAME, "thermo-3")));
        }

        assertThat(result.outcomes()).extracting(o -> o.outcome()).containsExactly(LifecycleOutcome.RETIRED,
                LifecycleOutcome.SKIPPED, LifecycleOutcome.DEAD_LETTERED, LifecycleOutcome.SKIPPED,
                LifecycleOutcome.RETIRED);
        assertThat(guarded.outcomes()).extracting(o -> o.outcome()).containsExactly(LifecycleOutcome.DEAD_LETTERED);
        assertThat(adt.getTwin("thermo-2")).as("retired through Event Grid").isEmpty();
        assertThat(adt.getTwin("thermo-3")).as("never retired blindly when the registry cannot answer").isPresent();
        List<String> lines = tap.lines();
        assertNoSecretIn(lines);
        assertThat(lines).anySatisfy(l -> assertThat(l).contains("DeadLetters WARN").contains("toaster-1"));
        assertThat(lines).anySatisfy(l -> assertThat(l).contains("canary-hub.invalid"));
    }

    @Test
    void configurationNeverShowsItsSecretsInMessagesOrDescriptions() {
        String broken = "HostName=;SharedAccessKeyName=registryRead;SharedAccessKey=" + Canaries.SHARED_ACCESS_KEY;

        assertThatThrownBy(() -> IotHubDeviceRegistry.fromConnectionStrings(
                List.of(Canaries.IOT_HUB_CONNECTION_STRING, broken)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("#2")
                .satisfies(e -> assertThat(Canaries.leakIn(e.getMessage())).isNull());
        IotHubDeviceRegistry registry = IotHubDeviceRegistry.fromConnectionStrings(
                List.of(Canaries.IOT_HUB_CONNECTION_STRING));
        LifecycleOptions options = LifecycleOptions.builder().deviceRegistry(registry).build();

        assertThat(registry.toString()).contains("canary-hub.invalid");
        assertThat(Canaries.leakIn(registry.toString())).isNull();
        assertThat(Canaries.leakIn(options.toString())).isNull();
        assertThat(Canaries.leakIn(AllocationOptions.defaults().toString())).isNull();
    }
}
