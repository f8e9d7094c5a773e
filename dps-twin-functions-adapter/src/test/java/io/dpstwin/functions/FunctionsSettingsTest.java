package io.dpstwin.functions;

import io.dpstwin.core.allocation.AllocationOptions;
import io.dpstwin.core.config.DpsTwinSettings;
import io.dpstwin.core.lifecycle.LifecycleOptions;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class FunctionsSettingsTest {

    private static final String URL = "https://x.api.weu.digitaltwins.azure.net";

    @Test
    void onlyTheAdtUrlIsRequiredAndEverythingElseHasCoresDefaults() {
        FunctionsSettings settings = FunctionsSettings.from(Map.of("ADT_SERVICE_URL", URL + "/"));
        assertThat(settings.get(DpsTwinSettings.ADT_ENDPOINT)).isEqualTo(URL);
        assertThat(settings.options().lifecycle().parallelism()).isEqualTo(LifecycleOptions.DEFAULT_PARALLELISM);
        assertThat(settings.options().allocation().maxBodyBytes()).isEqualTo(AllocationOptions.DEFAULT_MAX_BODY_BYTES);
        assertThat(settings.options().rateLimits().orElseThrow().adaptive()).as("static limits by default")
                .isFalse();
        assertThatThrownBy(() -> FunctionsSettings.from(Map.of("ADT_SERVICE_URL", " ")))
                .isInstanceOfSatisfying(FunctionsSettingsException.class, e -> assertThat(e.getMessage())
                        .contains("ADT_SERVICE_URL is missing: set it (or DPSTWIN_DIGITALTWINS_ENDPOINT)"));
    }

    @Test
    void theReferenceSamplesNamesAreReadAndTwoNamesOfOneSettingMustAgree() {
        FunctionsSettings settings = FunctionsSettings.from(Map.of("ADT_SERVICE_URL", URL,
                "EVENTHUB_CONNECTIONSTRING", "Endpoint=sb://ns.servicebus.windows.net/;SharedAccessKey=c2VjcmV0"));
        assertThat(settings.get(DpsTwinSettings.EH_CONNECTION_STRING)).endsWith("c2VjcmV0");
        assertThat(settings.toString()).doesNotContain("c2VjcmV0");
        assertThat(FunctionsSettings.from(Map.of("ADT_SERVICE_URL", URL, "DPSTWIN_DIGITALTWINS_ENDPOINT", URL + " "))
                .get(DpsTwinSettings.ADT_ENDPOINT)).as("the same value twice").isEqualTo(URL);
        assertThatThrownBy(() -> FunctionsSettings.from(Map.of("ADT_SERVICE_URL", URL,
                "DPSTWIN_DIGITALTWINS_ENDPOINT", "https://other.api.weu.digitaltwins.azure.net")))
                .isInstanceOfSatisfying(FunctionsSettingsException.class, e -> {
                    assertThat(e.settingNames()).containsExactly("DPSTWIN_DIGITALTWINS_ENDPOINT");
                    assertThat(e.getMessage()).contains("given twice with different values, also as ADT_SERVICE_URL");
                });
    }

    @Test
    void springsTwoEnvironmentFormsOfANameBothWork() {
        for (String name : new String[]{"DPSTWIN_LIFECYCLE_EVENTBUDGET", "DPS_TWIN_LIFECYCLE_EVENT_BUDGET"}) {
            assertThat(FunctionsSettings.from(Map.of("DPSTWIN_DIGITALTWINS_ENDPOINT", URL, name, "20s"))
                    .options().lifecycle().eventBudget()).as(name).isEqualTo(Duration.ofSeconds(20));
        }
    }

    @Test
    void theNamesOf0xAreRefusedAtStartEachWithTheNameThatReplacedIt() {
        assertThatThrownBy(() -> FunctionsDpsTwinFactory.builder().credential(TestCredentials.fixed())
                .settings(Map.of("ADT_SERVICE_URL", URL, "DPSTWIN_DEFAULT_MODEL", "dtmi:com:example:Thermostat;1",
                        "DPSTWIN_EVENT_BUDGET", "20", "DPSTWIN_PLACEMENT_PAYLOAD_FIELD", "parent",
                        "DPSTWIN_LIFECYCLE_PARALLELISM", "0")).build().create())
                .isInstanceOfSatisfying(FunctionsSettingsException.class, e -> {
                    assertThat(e.settingNames()).as("every renamed one and the bad new one, at once")
                            .containsExactly("DPSTWIN_DEFAULT_MODEL", "DPSTWIN_PLACEMENT_PAYLOAD_FIELD",
                                    "DPSTWIN_EVENT_BUDGET", "DPSTWIN_LIFECYCLE_PARALLELISM");
                    assertThat(e.getMessage())
                            .contains("DPSTWIN_DEFAULT_MODEL is a dps-twin 0.x name and no longer read: set "
                                    + "DPSTWIN_ALLOCATION_DEFAULTMODEL instead")
                            .contains("set DPSTWIN_LIFECYCLE_EVENTBUDGET (with a unit, e.g. 20s")
                            .contains("set DPSTWIN_ALLOCATION_PLACEMENT_ENABLED and "
                                    + "DPSTWIN_ALLOCATION_PLACEMENT_PARENTPAYLOADFIELD instead");
                });
        assertThat(FunctionsSettings.from(Map.of("ADT_SERVICE_URL", URL, "DPSTWIN_DEFAULT_MODEL", " "))
                .unknownSettings()).as("a blank one is unset, as every setting").isEmpty();
    }

    @Test
    void everyBadSettingIsNamedAtOnceAndSecretsAreNeverQuoted() {
        assertThatThrownBy(() -> FunctionsSettings.from(Map.of("ADT_SERVICE_URL", "http://plain",
                "DPSTWIN_LIFECYCLE_EVENTBUDGET", "20", "DPSTWIN_ALLOCATION_HUBSELECTION_POLICY", "sticky",
                "DPSTWIN_RECONCILE_CONNECTIONSTRINGS", "HostName=h;SharedAccessKey=c2VjcmV0",
                "DPSTWIN_ALLOCATION_HUBSELECTION_WEIGHTS", "hub-a.azure-devices.net=2")))
                .isInstanceOfSatisfying(FunctionsSettingsException.class, e -> {
                    assertThat(e.settingNames()).as("no follow-up error about weights of an invalid policy")
                            .containsExactlyInAnyOrder("ADT_SERVICE_URL", "DPSTWIN_LIFECYCLE_EVENTBUDGET",
                                    "DPSTWIN_ALLOCATION_HUBSELECTION_POLICY", "DPSTWIN_RECONCILE_CONNECTIONSTRINGS",
                                    "DPSTWIN_RECONCILE_DEVICEMODELS");
                    assertThat(e.getMessage()).contains("a bare number is refused").doesNotContain("c2VjcmV0");
                });
        assertThatThrownBy(() -> FunctionsSettings.from(Map.of("ADT_SERVICE_URL", URL,
                "DPSTWIN_ALLOCATION_HUBSELECTION_WEIGHTS", "hub-a.azure-devices.net=2")))
                .isInstanceOfSatisfying(FunctionsSettingsException.class, e -> assertThat(e.getMessage())
                        .contains("DPSTWIN_ALLOCATION_HUBSELECTION_WEIGHTS is set but "
                                + "DPSTWIN_ALLOCATION_HUBSELECTION_POLICY is first"));
    }

    @Test
    void unknownAndSpringOnlyNamesAreReportedForAWarning() {
        FunctionsSettings settings = FunctionsSettings.from(Map.of("ADT_SERVICE_URL", URL,
                "DPSTWIN_LIFECYCLE_PARALELISM", "3", "DPSTWIN_WEBHOOK_KEYS", "k"));
        assertThat(settings.unknownSettings())
                .containsExactlyInAnyOrder("DPSTWIN_LIFECYCLE_PARALELISM", "DPSTWIN_WEBHOOK_KEYS");
        assertThat(settings.toString()).contains("DPSTWIN_DIGITALTWINS_ENDPOINT=" + URL);
        assertThat(settings.get(DpsTwinSettings.LIFECYCLE_PARALLELISM)).isEqualTo(16);
    }
}
