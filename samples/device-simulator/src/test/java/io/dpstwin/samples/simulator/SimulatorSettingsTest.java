package io.dpstwin.samples.simulator;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SimulatorSettingsTest {

    private static final String KEY = "c2VjcmV0LWdyb3VwLWtleS1mb3ItdGVzdHM=";

    @TempDir
    Path dir;

    @Test
    void theReferenceSimulatorsDotEnvFileIsReadAsItIs() throws IOException {
        Path env = Files.writeString(dir.resolve(".env"), """
                # copied from .env.template
                PROVISIONING_HOST = "global.azure-devices-provisioning.net"
                PROVISIONING_IDSCOPE = "0ne00000001"
                PROVISIONING_REGISTRATION_ID = "thermostat-67"
                ADT_MODEL_ID = "dtmi:contosocom:DigitalTwins:Thermostat;1"
                PROVISIONING_SYMMETRIC_KEY = "%s"
                """.formatted(KEY));

        SimulatorSettings settings = SimulatorSettings.read(Map.of(), env);

        assertThat(settings).isEqualTo(new SimulatorSettings("global.azure-devices-provisioning.net", "0ne00000001",
                "thermostat-67", "dtmi:contosocom:DigitalTwins:Thermostat;1", KEY));
        assertThat(settings.payloadJson()).isEqualTo("{\"modelId\":\"dtmi:contosocom:DigitalTwins:Thermostat;1\"}");
        assertThat(settings.toString()).doesNotContain(KEY);
    }

    @Test
    void theEnvironmentWinsOverTheFile() throws IOException {
        Path env = Files.writeString(dir.resolve(".env"), """
                PROVISIONING_HOST=from-file
                PROVISIONING_IDSCOPE=0ne00000001
                PROVISIONING_REGISTRATION_ID=dev-1
                ADT_MODEL_ID=dtmi:com:example:Thermostat;1
                PROVISIONING_SYMMETRIC_KEY=%s
                """.formatted(KEY));

        SimulatorSettings settings = SimulatorSettings.read(Map.of("PROVISIONING_HOST", "127.0.0.1:18443",
                "UNRELATED", "x"), env);

        assertThat(settings.provisioningHost()).isEqualTo("127.0.0.1:18443");
        assertThat(settings.registrationId()).isEqualTo("dev-1");
    }

    @Test
    void aFleetNumbersItsRegistrationIds() {
        SimulatorSettings settings = new SimulatorSettings("h", "s", "Thermo", "dtmi:a:b;1", KEY);
        assertThat(settings.registrationId(1, 1)).isEqualTo("Thermo");
        assertThat(settings.registrationId(3, 5)).isEqualTo("Thermo-3");
    }

    @Test
    void malformedValuesAreRefusedNamingTheSettingWithoutQuotingTheKey() {
        Map<String, String> environment = Map.of("PROVISIONING_HOST", "h", "PROVISIONING_IDSCOPE", "s",
                "PROVISIONING_REGISTRATION_ID", "bad id!", "ADT_MODEL_ID", "Thermostat",
                "PROVISIONING_SYMMETRIC_KEY", "not base64 at all!");

        assertThatThrownBy(() -> SimulatorSettings.read(environment, dir.resolve("missing.env")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("PROVISIONING_REGISTRATION_ID 'bad id!' is not a DPS registration id")
                .hasMessageContaining("ADT_MODEL_ID 'Thermostat' is not a DTMI")
                .hasMessageContaining("PROVISIONING_SYMMETRIC_KEY is not Base64")
                .message().doesNotContain("not base64 at all!");
    }
}
