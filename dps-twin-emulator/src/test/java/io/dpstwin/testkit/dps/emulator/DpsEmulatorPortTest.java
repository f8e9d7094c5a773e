package io.dpstwin.testkit.dps.emulator;

import io.dpstwin.testkit.device.mqtt.LoopbackHosts;
import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Port 8883, which the Java SDKs always dial, taken by another process: a clear error naming the options. */
class DpsEmulatorPortTest {

    @Test
    void anOccupied8883FailsNamingTheOptionThatMovesIt() throws Exception {
        String host = LoopbackHosts.withFree8883();
        try (ServerSocket taken = new ServerSocket()) {
            taken.bind(new InetSocketAddress(InetAddress.getByName(host), 8883));

            assertThatThrownBy(() -> DpsEmulator.builder().mqttHost(host).start())
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining(host + ":8883")
                    .hasMessageContaining("DpsEmulator.Builder#mqttPort(int)")
                    .hasMessageContaining("always dial 8883");
        }
        try (DpsEmulator dps = DpsEmulator.builder().mqttHost(host).start()) {
            assertThat(dps.globalEndpoint()).as("free again: MQTT clients dial the bare host").isEqualTo(host);
        }
    }
}
