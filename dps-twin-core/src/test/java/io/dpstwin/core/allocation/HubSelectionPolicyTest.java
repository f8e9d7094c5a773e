package io.dpstwin.core.allocation;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.dpstwin.core.WebhookResponse;
import io.dpstwin.core.twins.HandFakeGateway;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static io.dpstwin.core.allocation.Requests.HUB_A;
import static io.dpstwin.core.allocation.Requests.HUB_B;
import static io.dpstwin.core.allocation.Requests.THERMOSTAT;
import static io.dpstwin.core.allocation.Requests.body;
import static io.dpstwin.core.allocation.Requests.context;
import static io.dpstwin.core.allocation.Requests.errorCode;
import static io.dpstwin.core.allocation.Requests.group;
import static io.dpstwin.core.allocation.Requests.text;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class HubSelectionPolicyTest {

    private static final List<String> FOUR_HUBS = List.of("hub-1.azure-devices.net", "hub-2.azure-devices.net",
            "hub-3.azure-devices.net", "hub-4.azure-devices.net");
    private static final String FIFTH_HUB = "hub-5.azure-devices.net";

    private static AllocationRequest request(String registrationId, List<String> hubs, String currentHub) {
        return new AllocationRequest(null, null,
                new DeviceRuntimeContext(registrationId, currentHub, null, null, null, null, null), hubs);
    }

    private static List<String> registrationIds(int count) {
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            ids.add("sensor-" + i + "-building-" + (i % 7));
        }
        return ids;
    }

    private static Map<String, String> assign(HubSelectionPolicy policy, List<String> ids, List<String> hubs) {
        Map<String, String> assignment = new HashMap<>();
        for (String id : ids) {
            assignment.put(id, policy.selectHub(request(id, hubs, null)));
        }
        return assignment;
    }

    // ------------------------------------------------------------------ first linked hub

    @Test
    void firstLinkedHubPicksTheFirstHubLikeTheReference() {
        assertThat(HubSelectionPolicy.firstLinkedHub().selectHub(request("dev-1", List.of(HUB_B, HUB_A), null)))
                .isEqualTo(HUB_B);
    }

    @Test
    void theDefaultPolicyIsTheFirstLinkedHub() {
        WebhookResponse response = new DpsAllocationHandler(new HandFakeGateway(), AllocationOptions.defaults())
                .handle(text(group("dev-1", THERMOSTAT, HUB_B, HUB_A)));

        assertThat(body(response).path("iotHubHostName").asText()).isEqualTo(HUB_B);
    }

    // ------------------------------------------------------------------ sticky

    @Test
    void stickyKeepsAReRegisteringDeviceOnItsLinkedCurrentHub() {
        HubSelectionPolicy sticky = HubSelectionPolicy.sticky(HubSelectionPolicy.firstLinkedHub());

        assertThat(sticky.selectHub(request("dev-1", List.of(HUB_A, HUB_B), HUB_B))).isEqualTo(HUB_B);
    }

    @Test
    void stickyComparesHubNamesIgnoringCaseAndAnswersTheLinkedSpelling() {
        HubSelectionPolicy sticky = HubSelectionPolicy.sticky(HubSelectionPolicy.firstLinkedHub());

        assertThat(sticky.selectHub(request("dev-1", List.of(HUB_A, HUB_B), HUB_B.toUpperCase())))
                .isEqualTo(HUB_B);
    }

    @Test
    void stickyDelegatesWhenTheCurrentHubIsNoLongerLinked() {
        HubSelectionPolicy sticky = HubSelectionPolicy.sticky(request -> request.linkedHubs().get(1));

        assertThat(sticky.selectHub(request("dev-1", List.of(HUB_A, HUB_B), "old-hub.azure-devices.net")))
                .isEqualTo(HUB_B);
    }

    @Test
    void stickyDelegatesOnAFirstRegistration() {
        HubSelectionPolicy sticky = HubSelectionPolicy.sticky(request -> request.linkedHubs().get(1));

        assertThat(sticky.selectHub(request("dev-1", List.of(HUB_A, HUB_B), null))).isEqualTo(HUB_B);
    }

    @Test
    void stickyWorksThroughTheHandlerWithAnyCasingOfTheCurrentHubField() {
        DpsAllocationHandler handler = new DpsAllocationHandler(new HandFakeGateway(), AllocationOptions.builder()
                .hubSelection(HubSelectionPolicy.sticky(HubSelectionPolicy.firstLinkedHub())).build());
        ObjectNode request = group("dev-1", THERMOSTAT, HUB_A, HUB_B);
        context(request).put("currentIoTHubHostname", HUB_B);

        assertThat(body(handler.handle(text(request))).path("iotHubHostName").asText()).isEqualTo(HUB_B);
    }

    // ------------------------------------------------------------------ consistent hashing

    @Test
    void consistentHashingAlwaysAnswersALinkedHub() {
        HubSelectionPolicy policy = HubSelectionPolicy.consistentHashing();
        for (String id : registrationIds(1000)) {
            assertThat(policy.selectHub(request(id, FOUR_HUBS, null))).isIn(FOUR_HUBS);
        }
    }

    @Test
    void consistentHashingIsStableAndIndependentOfHubOrder() {
        HubSelectionPolicy policy = HubSelectionPolicy.consistentHashing();
        List<String> reversed = new ArrayList<>(FOUR_HUBS);
        java.util.Collections.reverse(reversed);

        for (String id : registrationIds(200)) {
            String chosen = policy.selectHub(request(id, FOUR_HUBS, null));
            assertThat(policy.selectHub(request(id, FOUR_HUBS, null))).isEqualTo(chosen);
            assertThat(policy.selectHub(request(id, reversed, null))).isEqualTo(chosen);
        }
    }

    @Test
    void consistentHashingSpreadsDevicesRoughlyEvenly() {
        Map<String, String> assignment = assign(HubSelectionPolicy.consistentHashing(), registrationIds(1000),
                FOUR_HUBS);

        for (String hub : FOUR_HUBS) {
            long count = assignment.values().stream().filter(hub::equals).count();
            assertThat(count).as(hub).isBetween(175L, 325L);
        }
    }

    @Test
    void addingAHubMovesOnlyAMinorityOfDevicesAndOnlyToTheNewHub() {
        HubSelectionPolicy policy = HubSelectionPolicy.consistentHashing();
        List<String> ids = registrationIds(1000);
        List<String> fiveHubs = new ArrayList<>(FOUR_HUBS);
        fiveHubs.add(FIFTH_HUB);

        Map<String, String> before = assign(policy, ids, FOUR_HUBS);
        Map<String, String> after = assign(policy, ids, fiveHubs);

        List<String> moved = ids.stream().filter(id -> !before.get(id).equals(after.get(id))).toList();
        // ideal share 1/5 = 200 of 1000; a modulo scheme would move ~800
        assertThat(moved.size()).isLessThan((int) (1000 * (2.0 / 5)) + 50).isGreaterThan(100);
        assertThat(moved).allSatisfy(id -> assertThat(after.get(id)).isEqualTo(FIFTH_HUB));
    }

    @Test
    void removingAHubMovesOnlyTheDevicesThatWereOnIt() {
        HubSelectionPolicy policy = HubSelectionPolicy.consistentHashing();
        List<String> ids = registrationIds(1000);
        List<String> threeHubs = FOUR_HUBS.subList(0, 3);

        Map<String, String> before = assign(policy, ids, FOUR_HUBS);
        Map<String, String> after = assign(policy, ids, threeHubs);

        for (String id : ids) {
            if (!before.get(id).equals(FOUR_HUBS.get(3))) {
                assertThat(after.get(id)).as(id).isEqualTo(before.get(id));
            }
        }
    }

    @Test
    void consistentHashingIgnoresTheCaseOfHubNamesAndRegistrationIds() {
        HubSelectionPolicy policy = HubSelectionPolicy.consistentHashing();
        List<String> upper = FOUR_HUBS.stream().map(String::toUpperCase).toList();

        for (String id : registrationIds(100)) {
            String lower = policy.selectHub(request(id, FOUR_HUBS, null));
            assertThat(policy.selectHub(request(id, upper, null))).isEqualTo(lower.toUpperCase());
            assertThat(policy.selectHub(request(id.toUpperCase(), FOUR_HUBS, null))).isEqualTo(lower);
        }
    }

    // ------------------------------------------------------------------ weighted

    @Test
    void weightedDistributionRoughlyFollowsTheWeights() {
        HubSelectionPolicy policy = HubSelectionPolicy.weighted(Map.of(HUB_A, 1, HUB_B, 3));
        List<String> ids = registrationIds(4000);

        Map<String, String> assignment = assign(policy, ids, List.of(HUB_A, HUB_B));

        double shareOfB = assignment.values().stream().filter(HUB_B::equals).count() / (double) ids.size();
        assertThat(shareOfB).isBetween(0.70, 0.80);
    }

    @Test
    void hubsWithoutAWeightCountOne() {
        HubSelectionPolicy policy = HubSelectionPolicy.weighted(Map.of(FOUR_HUBS.get(0), 2.0));
        List<String> ids = registrationIds(5000);

        Map<String, String> assignment = assign(policy, ids, FOUR_HUBS);

        // weights 2:1:1:1 -> 40% : 20% : 20% : 20%
        double first = assignment.values().stream().filter(FOUR_HUBS.get(0)::equals).count() / 5000.0;
        assertThat(first).isBetween(0.35, 0.45);
        for (String hub : FOUR_HUBS.subList(1, 4)) {
            double share = assignment.values().stream().filter(hub::equals).count() / 5000.0;
            assertThat(share).as(hub).isBetween(0.15, 0.25);
        }
    }

    @Test
    void weightKeysMatchHubNamesIgnoringCase() {
        HubSelectionPolicy policy = HubSelectionPolicy.weighted(Map.of(HUB_A.toUpperCase(), 0));

        for (String id : registrationIds(100)) {
            assertThat(policy.selectHub(request(id, List.of(HUB_A, HUB_B), null))).isEqualTo(HUB_B);
        }
    }

    @Test
    void aDrainedHubIsChosenOnlyWhenEveryHubIsDrained() {
        HubSelectionPolicy policy = HubSelectionPolicy.weighted(Map.of(HUB_A, 0, HUB_B, 0));

        Map<String, String> assignment = assign(policy, registrationIds(400), List.of(HUB_A, HUB_B));

        assertThat(assignment.values()).contains(HUB_A, HUB_B);
    }

    @Test
    void addingAWeightedHubMovesOnlyDevicesToIt() {
        List<String> ids = registrationIds(1000);
        HubSelectionPolicy policy = HubSelectionPolicy.weighted(Map.of(HUB_A, 2, HUB_B, 1, FIFTH_HUB, 1));

        Map<String, String> before = assign(policy, ids, List.of(HUB_A, HUB_B));
        Map<String, String> after = assign(policy, ids, List.of(HUB_A, HUB_B, FIFTH_HUB));

        ids.stream().filter(id -> !before.get(id).equals(after.get(id)))
                .forEach(id -> assertThat(after.get(id)).isEqualTo(FIFTH_HUB));
    }

    @Test
    void rejectsNegativeOrNonFiniteWeights() {
        assertThatThrownBy(() -> HubSelectionPolicy.weighted(Map.of(HUB_A, -1)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining(HUB_A);
        assertThatThrownBy(() -> HubSelectionPolicy.weighted(Map.of(HUB_A, Double.NaN)))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> HubSelectionPolicy.weighted(Map.of(HUB_A, Double.POSITIVE_INFINITY)))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void theHashIsSha256BasedAndUniformInTheOpenUnitInterval() {
        double sum = 0;
        for (int i = 0; i < 10_000; i++) {
            double u = RendezvousHubSelection.unitHash("hub", "device-" + i);
            assertThat(u).isGreaterThan(0).isLessThan(1);
            sum += u;
        }
        assertThat(sum / 10_000).isBetween(0.48, 0.52);
        // fixed by SHA-256, so stable across JVMs and releases (String.hashCode would not be a contract)
        assertThat(RendezvousHubSelection.unitHash("hub", "device-0"))
                .isEqualTo(RendezvousHubSelection.unitHash("hub", "device-0"))
                .isNotEqualTo(RendezvousHubSelection.unitHash("hub", "device-1"));
    }

    // ------------------------------------------------------------------ the handler enforces linkedHubs

    @Test
    void aCustomPolicyAnsweringAnUnlinkedHubIsABugAnswered503AndLogged() {
        HandFakeGateway adt = new HandFakeGateway();
        DpsAllocationHandler handler = new DpsAllocationHandler(adt, AllocationOptions.builder()
                .hubSelection(request -> "rogue-hub.azure-devices.net").build());
        Logger logger = (Logger) LoggerFactory.getLogger(DpsAllocationHandler.class);
        ListAppender<ILoggingEvent> appender = new ListAppender<>();
        appender.start();
        logger.addAppender(appender);
        try {
            WebhookResponse response = handler.handle(text(group("dev-1", THERMOSTAT)));

            assertThat(response.status()).isEqualTo(503);
            assertThat(errorCode(response)).isEqualTo(AllocationErrorCodes.INTERNAL_ERROR);
            assertThat(response.body()).doesNotContain("rogue-hub", "IllegalStateException");
            assertThat(appender.list).anySatisfy(event -> {
                assertThat(event.getLevel()).isEqualTo(Level.ERROR);
                assertThat(event.getThrowableProxy().getMessage()).contains("rogue-hub.azure-devices.net",
                        "not one of linkedHubs");
            });
            assertThat(adt.twinCount()).isZero();
        } finally {
            logger.detachAppender(appender);
        }
    }

    @Test
    void aCustomPolicyAnsweringNoHubIsABugAnswered503() {
        DpsAllocationHandler handler = new DpsAllocationHandler(new HandFakeGateway(), AllocationOptions.builder()
                .hubSelection(request -> null).build());

        assertThat(handler.handle(text(group("dev-1", THERMOSTAT))).status()).isEqualTo(503);
    }

    @Test
    void aCustomPolicyMayAnswerInAnotherCaseAndGetsTheLinkedSpelling() {
        DpsAllocationHandler handler = new DpsAllocationHandler(new HandFakeGateway(), AllocationOptions.builder()
                .hubSelection(request -> HUB_B.toUpperCase()).build());

        WebhookResponse response = handler.handle(text(group("dev-1", THERMOSTAT, HUB_A, HUB_B)));

        assertThat(body(response).path("iotHubHostName").asText()).isEqualTo(HUB_B);
    }
}
