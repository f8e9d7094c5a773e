package io.dpstwin.testkit.dps.emulator;

import com.microsoft.azure.sdk.iot.provisioning.device.ProvisioningDeviceClientRegistrationResult;
import io.dpstwin.testkit.device.mqtt.LoopbackHosts;
import io.dpstwin.testkit.registry.DeviceAuthentication;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.parallel.Execution;
import org.junit.jupiter.api.parallel.ExecutionMode;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static com.microsoft.azure.sdk.iot.provisioning.device.ProvisioningDeviceClientTransportProtocol.MQTT;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Many registrations in a row through the Java SDK over MQTT, each answered: the SDK waits for a reply with
 * {@code Object.wait()} only after its PUBLISH returns and drops a reply that arrived before (a lost wake-up that
 * cost 60 s, about once in four registrations, while the emulator answered in the same millisecond).
 * Runs beside the other SDK test classes (the registrations mostly wait).
 */
@Execution(ExecutionMode.CONCURRENT)
class DpsEmulatorRepetitionTest {

    static final String GROUP_KEY = DeviceAuthentication.randomKey();
    static DpsEmulator dps;
    static ProvisioningSdk sdk;

    @BeforeAll
    static void start() {
        dps = DpsEmulator.builder()
                .mqttHost(LoopbackHosts.withFree8883())
                .linkedHub(new InMemoryLinkedHub("hub-a.azure-devices.net"),
                        new InMemoryLinkedHub("hub-b.azure-devices.net"))
                .enrollment(Enrollment.group("fleet", GROUP_KEY).hashed().build())
                .start();
        sdk = new ProvisioningSdk(dps);
    }

    @AfterAll
    static void stop() {
        dps.close();
    }

    @Test
    void everyRegistrationOfEightDevicesRegisteringFourTimesInARowIsAnswered() throws Exception {
        int lanes = 8;
        int rounds = 4;
        ExecutorService pool = Executors.newFixedThreadPool(lanes);
        try {
            List<Future<List<String>>> results = new ArrayList<>();
            for (int lane = 0; lane < lanes; lane++) {
                String registrationId = "repeat-" + lane;
                results.add(pool.submit(() -> {
                    List<String> hubs = new ArrayList<>();
                    for (int round = 0; round < rounds; round++) {
                        ProvisioningDeviceClientRegistrationResult result = sdk.register(MQTT, registrationId,
                                ProvisioningSdk.derivedKey(GROUP_KEY, registrationId), null);
                        hubs.add(result.getIothubUri() + "/" + result.getDeviceId());
                    }
                    return hubs;
                }));
            }
            for (int lane = 0; lane < lanes; lane++) {
                String deviceId = "repeat-" + lane;
                List<String> hubs = results.get(lane).get(rounds * ProvisioningSdk.TIMEOUT_SECONDS, TimeUnit.SECONDS);
                assertThat(hubs).hasSize(rounds).allSatisfy(h -> assertThat(h).endsWith("/" + deviceId));
                assertThat(hubs).as("hashed allocation is stable").containsOnly(hubs.get(0));
            }
        } finally {
            pool.shutdownNow();
        }
    }
}
