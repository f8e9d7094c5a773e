package io.dpstwin.docs.retirement;

import com.azure.core.credential.AccessToken;
import com.azure.core.credential.TokenCredential;
import io.dpstwin.core.lifecycle.BatchResult;
import io.dpstwin.core.lifecycle.EventHubsLifecycleParser;
import io.dpstwin.core.lifecycle.EventOutcome;
import io.dpstwin.core.lifecycle.LifecycleOptions;
import io.dpstwin.core.lifecycle.LifecycleOutcome;
import io.dpstwin.core.lifecycle.LifecycleProcessor;
import io.dpstwin.core.lifecycle.OutcomeReason;
import io.dpstwin.core.lifecycle.ParsedEvent;
import io.dpstwin.core.retirement.DeviceRegistry;
import io.dpstwin.core.retirement.IotHubDeviceRegistry;
import io.dpstwin.core.retirement.RetirementPolicy;
import io.dpstwin.core.retirement.RetirementRequest;
import io.dpstwin.core.retirement.RetirementResult;
import io.dpstwin.core.twins.DigitalTwin;
import io.dpstwin.core.twins.JsonPatchOperation;
import io.dpstwin.core.twins.Relationship;
import io.dpstwin.testkit.adt.InMemoryDigitalTwins;
import io.dpstwin.testkit.iothub.IotHubEvent;
import io.dpstwin.testkit.iothub.IotHubEvents;
import io.dpstwin.testkit.registry.InMemoryDeviceRegistry;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;

import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Objects;

import static io.dpstwin.docs.retirement.Contoso.ROOM;
import static io.dpstwin.docs.retirement.Contoso.THERMOSTAT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The examples of retirement.md §4 (policies) and §5 (the registry guard), run against the testkit's in-memory ADT
 * and device registry.
 */
class RetirementPolicyExamplesTest {

    private final InMemoryDigitalTwins gateway = InMemoryDigitalTwins.create();

    /** Twin thermostat-42 in room-7 (incoming {@code contains}), reporting to the room (outgoing {@code reportsTo}). */
    private void thermostatInARoom() {
        gateway.uploadModels(Contoso.MODELS);
        gateway.createOrReplaceTwin(DigitalTwin.of("room-7", ROOM));
        gateway.createOrReplaceTwin(DigitalTwin.of("thermostat-42", THERMOSTAT));
        gateway.createOrReplaceRelationship(Relationship.of("contains-42", "room-7", "thermostat-42", "contains"));
        gateway.createOrReplaceRelationship(Relationship.of("reports-to", "thermostat-42", "room-7", "reportsTo"));
    }

    @Test
    void deleteRemovesTheRelationshipsInBothDirectionsThenTheTwinAndAReplayFindsItGone() {
        thermostatInARoom();

        // tag::call-policy[]
        RetirementRequest request = RetirementRequest.of("thermostat-42", "thermostat-42");  // twin id, device id
        RetirementResult first = RetirementPolicy.DELETE.retire(gateway, request);           // RETIRED
        RetirementResult again = RetirementPolicy.DELETE.retire(gateway, request);           // ALREADY_GONE
        // end::call-policy[]

        assertThat(first).isEqualTo(RetirementResult.RETIRED);
        assertThat(again).isEqualTo(RetirementResult.ALREADY_GONE);
        assertThat(gateway.getTwin("thermostat-42")).isEmpty();
        assertThat(gateway.engine().twinIds()).containsExactly("room-7");
        assertThat(gateway.engine().relationshipCount()).isZero();
    }

    @Test
    void detachRemovesTheRelationshipsAndKeepsTheTwin() {
        thermostatInARoom();
        RetirementRequest request = RetirementRequest.of("thermostat-42", "thermostat-42");

        assertThat(RetirementPolicy.DETACH.retire(gateway, request)).isEqualTo(RetirementResult.RETIRED);
        assertThat(RetirementPolicy.DETACH.retire(gateway, RetirementRequest.of("gone", "gone")))
                .isEqualTo(RetirementResult.ALREADY_GONE);

        assertThat(gateway.getTwin("thermostat-42")).isPresent();
        assertThat(gateway.engine().relationshipCount()).isZero();
    }

    @Test
    void theMarkRetiredPolicyKeepsTheTwinCutsItFromTheGraphAndMarksIt() {
        thermostatInARoom();

        // tag::mark-retired[]
        RetirementPolicy markRetired = (gateway, request) -> {
            if (RetirementPolicy.DETACH.retire(gateway, request) == RetirementResult.ALREADY_GONE) {
                return RetirementResult.ALREADY_GONE;
            }
            String retiredBy = Objects.requireNonNullElse(request.eventId(), "unknown");
            gateway.updateTwin(request.twinId(), List.of(
                    JsonPatchOperation.add("/status", "retired"),
                    JsonPatchOperation.add("/retiredBy", retiredBy)), null);
            return RetirementResult.RETIRED;
        };
        LifecycleOptions options = LifecycleOptions.builder().retirementPolicy(markRetired).build();
        // end::mark-retired[]

        IotHubEvent deleted = IotHubEvents.deviceDeleted("contoso-hub-1", "thermostat-42").withCorrelationId("evt-1");
        BatchResult result;
        try (LifecycleProcessor processor = LifecycleProcessor.builder(gateway).options(options).build()) {
            result = processor.process(List.of(parse(deleted), parse(deleted),
                    parse(IotHubEvents.deviceDeleted("contoso-hub-1", "thermostat-77"))));
        }

        assertThat(result.outcomes()).extracting(EventOutcome::outcome).containsExactly(
                LifecycleOutcome.RETIRED, LifecycleOutcome.RETIRED, LifecycleOutcome.ALREADY_GONE);
        DigitalTwin kept = gateway.getTwin("thermostat-42").orElseThrow();
        assertThat(kept.properties()).containsEntry("status", "retired").containsEntry("retiredBy", "evt-1");
        assertThat(gateway.engine().relationshipCount()).isZero();
    }

    @Test
    void theRegistryGuardIsBuiltFromACredentialOrFromConnectionStringsThatItDoesNotKeep() {
        TokenCredential credential = request -> Mono.just(new AccessToken("token", OffsetDateTime.now().plusHours(1)));
        String key = Base64.getEncoder().encodeToString("not-a-real-key-but-base64-anyway".getBytes());
        String cs1 = "HostName=hub-1.azure-devices.net;SharedAccessKeyName=registryRead;SharedAccessKey=" + key;
        String cs2 = "HostName=hub-2.azure-devices.net;SharedAccessKeyName=registryRead;SharedAccessKey=" + key;

        // tag::registry-guard[]
        // Entra ID (recommended): one RegistryClient per hub, built once, with a shared credential.
        DeviceRegistry registry = IotHubDeviceRegistry.fromCredential(
                List.of("hub-1.azure-devices.net", "hub-2.azure-devices.net"), credential);
        // or shared access policies ("registryRead" is enough)
        DeviceRegistry registryFromPolicies = IotHubDeviceRegistry.fromConnectionStrings(List.of(cs1, cs2));

        LifecycleOptions options = LifecycleOptions.builder().deviceRegistry(registry).build();
        // end::registry-guard[]

        assertThat(registry.hubHostNames()).containsExactly("hub-1.azure-devices.net", "hub-2.azure-devices.net");
        assertThat(registryFromPolicies.hubHostNames())
                .containsExactly("hub-1.azure-devices.net", "hub-2.azure-devices.net");
        assertThat(registryFromPolicies.toString()).doesNotContain(key, "SharedAccessKey");
        assertThat(options.deviceRegistry()).containsSame(registry);
        assertThatThrownBy(() -> IotHubDeviceRegistry.fromConnectionStrings(
                List.of(cs1, "HostName=hub-3.azure-devices.net;SharedAccessKey=" + key)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("IoT Hub connection string #2 is not valid")
                .hasMessageNotContaining(key);
    }

    @Test
    void theRegistryGuardKeepsTheTwinOfADeviceDpsMovedToAnotherHubAndWithoutItTheTwinIsRetired() {
        gateway.uploadModels(Contoso.MODELS);
        gateway.createOrReplaceTwin(DigitalTwin.of("thermostat-42", THERMOSTAT));
        InMemoryDeviceRegistry hubs = InMemoryDeviceRegistry.of("hub-1.azure-devices.net", "hub-2.azure-devices.net");
        hubs.add("hub-2.azure-devices.net", "thermostat-42");       // DPS moved it from hub-1 to hub-2
        List<ParsedEvent> deletedFromTheOldHub = List.of(parse(IotHubEvents.deviceDeleted("hub-1", "thermostat-42")));

        BatchResult guarded;
        try (LifecycleProcessor processor = LifecycleProcessor.builder(gateway)
                .options(LifecycleOptions.builder().deviceRegistry(hubs).build()).build()) {
            guarded = processor.process(deletedFromTheOldHub);
        }
        assertThat(guarded.outcomes()).singleElement().satisfies(o -> {
            assertThat(o.outcome()).isEqualTo(LifecycleOutcome.SKIPPED);
            assertThat(o.reason()).isEqualTo(OutcomeReason.DEVICE_STILL_REGISTERED);
        });
        assertThat(gateway.getTwin("thermostat-42")).isPresent();

        BatchResult unguarded;
        try (LifecycleProcessor processor = LifecycleProcessor.builder(gateway).build()) {
            unguarded = processor.process(deletedFromTheOldHub);
        }
        assertThat(unguarded.outcomes()).extracting(EventOutcome::outcome).containsExactly(LifecycleOutcome.RETIRED);
        assertThat(gateway.getTwin("thermostat-42")).isEmpty();
    }

    @Test
    void aThrottledRegistryReadIsRetriedLikeAnAdtFailure() {
        gateway.uploadModels(Contoso.MODELS);
        gateway.createOrReplaceTwin(DigitalTwin.of("thermostat-42", THERMOSTAT));
        InMemoryDeviceRegistry hubs = InMemoryDeviceRegistry.of("hub-1.azure-devices.net");
        hubs.throttleRegistryReads("hub-1.azure-devices.net", 1);
        List<Duration> waits = new ArrayList<>();

        BatchResult result;
        try (LifecycleProcessor processor = LifecycleProcessor.builder(gateway)
                .options(LifecycleOptions.builder().deviceRegistry(hubs).build())
                .sleeper(waits::add)
                .build()) {
            result = processor.process(List.of(parse(IotHubEvents.deviceDeleted("hub-1", "thermostat-42"))));
        }

        assertThat(result.outcomes()).singleElement().satisfies(o -> {
            assertThat(o.outcome()).isEqualTo(LifecycleOutcome.RETIRED);
            assertThat(o.attempts()).isEqualTo(2);
        });
        assertThat(waits).hasSize(1);
        assertThat(hubs.registryReads("hub-1.azure-devices.net")).isEqualTo(2);
    }

    private static ParsedEvent parse(IotHubEvent event) {
        return new EventHubsLifecycleParser().parse(event.applicationProperties(), event.iotHubSystemProperties(),
                event.body());
    }
}
