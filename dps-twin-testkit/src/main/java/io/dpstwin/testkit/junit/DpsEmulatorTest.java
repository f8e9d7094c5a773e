package io.dpstwin.testkit.junit;

import org.junit.jupiter.api.extension.ExtendWith;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Runs the test class against a DPS emulator linked to IoT hub emulators (one set per class, shared with
 * {@code @Nested} classes, stopped after the class). Test and lifecycle methods may declare parameters of type
 * {@link io.dpstwin.testkit.dps.emulator.DpsEmulator}, {@link io.dpstwin.testkit.iothub.emulator.IotHubEmulator},
 * {@link io.dpstwin.testkit.iothub.emulator.EmulatedIotHub} (the first hub),
 * {@link com.microsoft.azure.sdk.iot.service.registry.RegistryClient}, {@link ProvisioningClientFactory},
 * {@link DeviceTraffic} or {@link io.dpstwin.testkit.emulator.EmulatorCa}.
 *
 * <pre>{@code
 * @DpsEmulatorTest
 * class ThermostatProvisioningTest {
 *     @Test
 *     void registers(ProvisioningClientFactory provisioning, DeviceTraffic traffic) { ... }
 * }
 * }</pre>
 *
 * For more options (custom allocation, webhook retries) register {@link DpsEmulatorExtension} programmatically
 * instead (do not combine both). See {@link DpsEmulatorExtension} for the hubs and the MQTT port.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Documented
@Inherited
@ExtendWith(DpsEmulatorExtension.class)
public @interface DpsEmulatorTest {

    /** More hubs besides the loopback one, by host name. */
    String[] hubs() default {};

    /**
     * Symmetric-key enrollment groups with random keys, hashed over every hub (default: one,
     * {@value DpsEmulatorExtension#DEFAULT_GROUP}); the first is the {@link ProvisioningClientFactory}'s default.
     */
    String[] enrollmentGroups() default {DpsEmulatorExtension.DEFAULT_GROUP};

    /** The MQTT port (default 8883; another port listens on 127.0.0.1, for HTTPS registrations only). */
    int mqttPort() default 8883;
}
