package io.dpstwin.functions;

import io.dpstwin.core.allocation.AllocationOptions;
import io.dpstwin.core.allocation.MissingParentPolicy;
import io.dpstwin.core.lifecycle.LifecycleOptions;
import io.dpstwin.core.reconcile.ReconcileOptions;
import io.dpstwin.core.retirement.RetirementPolicy;
import io.dpstwin.core.twins.AdtRateLimits;
import io.dpstwin.core.twins.ModelMismatchPolicy;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

class FunctionsSettingsTest {

    private static final String URL = "https://my-instance.api.weu.digitaltwins.azure.net";
    private static final String THERMOSTAT = "dtmi:contosocom:DigitalTwins:Thermostat;1";
    private static final String SECRET_KEY = "c2VjcmV0LWtleS10aGF0LW11c3Qtbm90LWxlYWs=";

    private static Map<String, String> with(String... pairs) {
        Map<String, String> settings = new HashMap<>();
        settings.put(FunctionsSettings.ADT_SERVICE_URL, URL);
        for (int i = 0; i < pairs.length; i += 2) {
            settings.put(pairs[i], pairs[i + 1]);
        }
        return settings;
    }

    private static FunctionsSettingsException problemsOf(Map<String, String> settings) {
        return catchThrowableOfType(FunctionsSettingsException.class, () -> FunctionsSettings.from(settings));
    }

    @Test
    void onlyTheAdtUrlIsRequiredAndEverythingElseHasCoresDefaults() {
        FunctionsSettings settings = FunctionsSettings.from(Map.of(FunctionsSettings.ADT_SERVICE_URL, URL + "/"));

        assertThat(settings.adtServiceUrl()).isEqualTo(URL);
        assertThat(settings.credential()).isEqualTo(FunctionsSettings.CredentialKind.DEFAULT);
        assertThat(settings.managedIdentityClientId()).isEmpty();
        assertThat(settings.hubSelection()).isEqualTo(FunctionsSettings.HubSelection.FIRST);
        assertThat(settings.retirement()).isEqualTo(FunctionsSettings.Retirement.DELETE);
        assertThat(settings.rateLimits()).hasValueSatisfying(limits ->
                assertThat(limits.toString()).isEqualTo(AdtRateLimits.defaults().toString()));

        AllocationOptions allocation = settings.allocationOptions();
        assertThat(allocation.modelMismatchPolicy()).isEqualTo(ModelMismatchPolicy.REJECT);
        assertThat(allocation.placement()).isEmpty();
        assertThat(allocation.globalDefaultModel()).isEmpty();
        assertThat(allocation.mergeEnrollmentInitialTwin()).isTrue();
        assertThat(allocation.twinIdStrategy().twinIdFor("dev-1")).isEqualTo("dev-1");

        LifecycleOptions lifecycle = settings.lifecycleOptions(null);
        assertThat(lifecycle.retirementPolicy()).isSameAs(RetirementPolicy.DELETE);
        assertThat(lifecycle.createDeviceIdentity()).isTrue();
        assertThat(lifecycle.servedHubs()).isEmpty();
        assertThat(lifecycle.deviceRegistry()).isEmpty();
        assertThat(lifecycle.parallelism()).isEqualTo(LifecycleOptions.DEFAULT_PARALLELISM);
        assertThat(lifecycle.eventBudget()).isEqualTo(LifecycleOptions.DEFAULT_EVENT_BUDGET);
        assertThat(lifecycle.maxAttempts()).isEqualTo(LifecycleOptions.DEFAULT_MAX_ATTEMPTS);
    }

    @Test
    void aMissingAdtUrlIsReportedByItsNameWithWhatToSetItTo() {
        FunctionsSettingsException e = problemsOf(Map.of());

        assertThat(e.settingNames()).containsExactly("ADT_SERVICE_URL");
        assertThat(e.getMessage()).contains("ADT_SERVICE_URL is missing").contains("https://");
    }

    @Test
    void aBlankSettingCountsAsUnset() {
        assertThat(problemsOf(Map.of(FunctionsSettings.ADT_SERVICE_URL, "   ")).settingNames())
                .containsExactly("ADT_SERVICE_URL");
        assertThat(FunctionsSettings.from(with(FunctionsSettings.PARALLELISM, " ")).parallelism())
                .isEqualTo(LifecycleOptions.DEFAULT_PARALLELISM);
    }

    @Test
    void anAdtUrlThatIsNotAPlainHttpsUrlIsRejected() {
        for (String bad : List.of("http://my-instance.api.weu.digitaltwins.azure.net", "my-instance",
                URL + "/digitaltwins", "https://", "https://my instance")) {
            FunctionsSettingsException e = problemsOf(Map.of(FunctionsSettings.ADT_SERVICE_URL, bad));
            assertThat(e.settingNames()).as(bad).containsExactly("ADT_SERVICE_URL");
            assertThat(e.getMessage()).as(bad).contains("ADT_SERVICE_URL is invalid: expected https://");
        }
    }

    @Test
    void aWrongValueIsQuotedRedactedAndShortened() {
        FunctionsSettingsException e = problemsOf(Map.of(FunctionsSettings.ADT_SERVICE_URL,
                "https://adt.example/?sig=abcdefSECRET&x=" + "y".repeat(200)));

        assertThat(e.getMessage()).contains("sig=***").doesNotContain("abcdefSECRET").doesNotContain("y".repeat(81));
    }

    @Test
    void everyProblemIsReportedAtOnceNamingItsSetting() {
        FunctionsSettingsException e = problemsOf(Map.of(
                FunctionsSettings.PARALLELISM, "eight",
                FunctionsSettings.EVENT_BUDGET, "-5",
                FunctionsSettings.CREATE_DEVICE_IDENTITY, "yes",
                FunctionsSettings.RETIREMENT_POLICY, "archive",
                FunctionsSettings.DEFAULT_MODEL, "Thermostat",
                FunctionsSettings.AZURE_CLIENT_ID, "not-a-guid"));

        assertThat(e.settingNames()).containsExactlyInAnyOrder("ADT_SERVICE_URL", "DPSTWIN_PARALLELISM",
                "DPSTWIN_EVENT_BUDGET", "DPSTWIN_CREATE_DEVICE_IDENTITY", "DPSTWIN_RETIREMENT_POLICY",
                "DPSTWIN_DEFAULT_MODEL", "AZURE_CLIENT_ID");
        assertThat(e.getMessage())
                .startsWith("dps-twin app settings are invalid (7 problems): ")
                .contains("DPSTWIN_PARALLELISM is invalid: expected a whole number from 1 to 256, got 'eight'")
                .contains("DPSTWIN_EVENT_BUDGET is invalid: expected a positive duration")
                .contains("DPSTWIN_CREATE_DEVICE_IDENTITY is invalid: expected true or false, got 'yes'")
                .contains("DPSTWIN_RETIREMENT_POLICY is invalid: expected one of delete, detach, got 'archive'")
                .contains("DPSTWIN_DEFAULT_MODEL is invalid: expected a DTMI")
                .contains("AZURE_CLIENT_ID is invalid: expected the client id (a GUID)");
    }

    @Test
    void choicesAcceptAnyCaseAndDashes() {
        FunctionsSettings settings = FunctionsSettings.from(with(
                FunctionsSettings.CREDENTIAL, "Managed-Identity",
                FunctionsSettings.MODEL_MISMATCH, "MIGRATE",
                FunctionsSettings.HUB_SELECTION, "Hashing",
                FunctionsSettings.AZURE_CLIENT_ID, "0b5c1ef5-8a8e-4a57-9c41-1f8c7c5d2e11"));

        assertThat(settings.credential()).isEqualTo(FunctionsSettings.CredentialKind.MANAGED_IDENTITY);
        assertThat(settings.modelMismatch()).isEqualTo(ModelMismatchPolicy.MIGRATE);
        assertThat(settings.hubSelection()).isEqualTo(FunctionsSettings.HubSelection.HASHING);
        assertThat(settings.managedIdentityClientId()).hasValue("0b5c1ef5-8a8e-4a57-9c41-1f8c7c5d2e11");
    }

    @Test
    void durationsAreSecondsOrIso8601() {
        assertThat(FunctionsSettings.from(with(FunctionsSettings.EVENT_BUDGET, "90")).eventBudget())
                .isEqualTo(Duration.ofSeconds(90));
        assertThat(FunctionsSettings.from(with(FunctionsSettings.EVENT_BUDGET, "PT2M")).eventBudget())
                .isEqualTo(Duration.ofMinutes(2));
        assertThat(problemsOf(with(FunctionsSettings.EVENT_BUDGET, "0")).settingNames())
                .containsExactly(FunctionsSettings.EVENT_BUDGET);
    }

    @Test
    void allocationSettingsBecomeAllocationOptions() {
        FunctionsSettings settings = FunctionsSettings.from(with(
                FunctionsSettings.DEFAULT_MODEL, THERMOSTAT,
                FunctionsSettings.ALLOWED_MODELS, THERMOSTAT + ", dtmi:contosocom:DigitalTwins:Room;1",
                FunctionsSettings.TWIN_ID_PREFIX, "device-",
                FunctionsSettings.MODEL_MISMATCH, "keep",
                FunctionsSettings.PLACEMENT_PAYLOAD_FIELD, "parentTwinId",
                FunctionsSettings.PLACEMENT_RELATIONSHIP, "hosts",
                FunctionsSettings.PLACEMENT_MISSING_PARENT, "skip",
                FunctionsSettings.MERGE_ENROLLMENT_INITIAL_TWIN, "false",
                FunctionsSettings.ACCEPT_UPPERCASE_REGISTRATION_IDS, "TRUE"));

        AllocationOptions options = settings.allocationOptions();
        assertThat(options.globalDefaultModel()).hasValue(THERMOSTAT);
        assertThat(options.allowedModelsFor(Optional.empty()))
                .hasValue(Set.of(THERMOSTAT, "dtmi:contosocom:DigitalTwins:Room;1"));
        assertThat(options.twinIdStrategy().twinIdFor("dev-1")).isEqualTo("device-dev-1");
        assertThat(options.modelMismatchPolicy()).isEqualTo(ModelMismatchPolicy.KEEP);
        assertThat(options.placement()).hasValueSatisfying(placement -> {
            assertThat(placement.relationshipName()).isEqualTo("hosts");
            assertThat(placement.missingParentPolicy()).isEqualTo(MissingParentPolicy.SKIP);
        });
        assertThat(options.mergeEnrollmentInitialTwin()).isFalse();
        assertThat(options.acceptUppercaseRegistrationIds()).isTrue();
        assertThat(settings.lifecycleOptions(null).twinIdStrategy().twinIdFor("dev-1")).isEqualTo("device-dev-1");
        assertThat(settings.lifecycleOptions(null).defaultModelId()).hasValue(THERMOSTAT);
    }

    @Test
    void placementDetailsWithoutThePayloadFieldAreAProblem() {
        FunctionsSettingsException e = problemsOf(with(FunctionsSettings.PLACEMENT_RELATIONSHIP, "hosts",
                FunctionsSettings.PLACEMENT_MISSING_PARENT, "skip"));

        assertThat(e.settingNames()).containsExactly(FunctionsSettings.PLACEMENT_RELATIONSHIP,
                FunctionsSettings.PLACEMENT_MISSING_PARENT);
        assertThat(e.getMessage()).contains("DPSTWIN_PLACEMENT_PAYLOAD_FIELD is not");
    }

    @Test
    void anInvalidRelationshipNameOrPrefixIsRejected() {
        assertThat(problemsOf(with(FunctionsSettings.PLACEMENT_PAYLOAD_FIELD, "parent",
                FunctionsSettings.PLACEMENT_RELATIONSHIP, "has parts")).settingNames())
                .containsExactly(FunctionsSettings.PLACEMENT_RELATIONSHIP);
        assertThat(problemsOf(with(FunctionsSettings.TWIN_ID_PREFIX, "site/")).settingNames())
                .containsExactly(FunctionsSettings.TWIN_ID_PREFIX);
    }

    @Test
    void weightedHubSelectionNeedsWeightsAndWeightsNeedWeightedSelection() {
        assertThat(problemsOf(with(FunctionsSettings.HUB_SELECTION, "weighted")).getMessage())
                .contains("DPSTWIN_HUB_WEIGHTS is missing");
        assertThat(problemsOf(with(FunctionsSettings.HUB_WEIGHTS, "hub-a.azure-devices.net=2")).getMessage())
                .contains("DPSTWIN_HUB_WEIGHTS is set but DPSTWIN_HUB_SELECTION is first");
        assertThat(problemsOf(with(FunctionsSettings.HUB_SELECTION, "weighted",
                FunctionsSettings.HUB_WEIGHTS, "hub-a.azure-devices.net=-1")).getMessage())
                .contains("DPSTWIN_HUB_WEIGHTS is invalid");
        assertThat(problemsOf(with(FunctionsSettings.HUB_SELECTION, "weighted",
                FunctionsSettings.HUB_WEIGHTS, "hub-a.azure-devices.net=1,HUB-A.azure-devices.net=2")).getMessage())
                .contains("twice");

        FunctionsSettings settings = FunctionsSettings.from(with(FunctionsSettings.HUB_SELECTION, "weighted",
                FunctionsSettings.HUB_STICKY, "true",
                FunctionsSettings.HUB_WEIGHTS, "hub-a.azure-devices.net=2, hub-b.azure-devices.net=0.5"));
        assertThat(settings.hubWeights()).containsExactlyInAnyOrderEntriesOf(
                Map.of("hub-a.azure-devices.net", 2.0, "hub-b.azure-devices.net", 0.5));
        assertThat(settings.hubSticky()).isTrue();
    }

    @Test
    void lifecycleSettingsBecomeLifecycleOptions() {
        FunctionsSettings settings = FunctionsSettings.from(with(
                FunctionsSettings.RETIREMENT_POLICY, "detach",
                FunctionsSettings.CREATE_DEVICE_IDENTITY, "false",
                FunctionsSettings.SERVED_HUBS, "hub-a, hub-b.azure-devices.net",
                FunctionsSettings.PARALLELISM, "4",
                FunctionsSettings.EVENT_BUDGET, "PT30S",
                FunctionsSettings.MAX_ATTEMPTS, "5"));

        LifecycleOptions options = settings.lifecycleOptions(null);
        assertThat(options.retirementPolicy()).isSameAs(RetirementPolicy.DETACH);
        assertThat(options.createDeviceIdentity()).isFalse();
        assertThat(options.serves("HUB-A.azure-devices.net")).isTrue();
        assertThat(options.serves("hub-b")).isTrue();
        assertThat(options.serves("hub-c")).isFalse();
        assertThat(options.parallelism()).isEqualTo(4);
        assertThat(options.eventBudget()).isEqualTo(Duration.ofSeconds(30));
        assertThat(options.maxAttempts()).isEqualTo(5);
    }

    @Test
    void theRegistryGuardUsesTheCredentialForHubHostNames() {
        FunctionsSettings settings = FunctionsSettings.from(with(FunctionsSettings.REGISTRY_GUARD_HUBS,
                "hub-a.azure-devices.net,hub-b.azure-devices.net"));

        assertThat(settings.registryGuardHubs()).containsExactly("hub-a.azure-devices.net", "hub-b.azure-devices.net");
        assertThat(settings.lifecycleOptions(TestCredentials.fixed()).deviceRegistry())
                .hasValueSatisfying(registry -> assertThat(registry.hubHostNames())
                        .containsExactly("hub-a.azure-devices.net", "hub-b.azure-devices.net"));
        assertThat(problemsOf(with(FunctionsSettings.REGISTRY_GUARD_HUBS, "hub-a")).getMessage())
                .contains("DPSTWIN_REGISTRY_GUARD_HUBS is invalid: expected comma-separated IoT hub host names");
    }

    @Test
    void registryGuardConnectionStringsAreCheckedButNeverShown() {
        String valid = "HostName=hub-a.azure-devices.net;SharedAccessKeyName=registryRead;SharedAccessKey="
                + SECRET_KEY;
        String broken = "HostName=hub-b.azure-devices.net;SharedAccessKey=" + SECRET_KEY;

        FunctionsSettings settings = FunctionsSettings.from(with(
                FunctionsSettings.REGISTRY_GUARD_CONNECTION_STRINGS, valid));
        assertThat(settings.registryGuardUsesConnectionStrings()).isTrue();
        assertThat(settings.lifecycleOptions(null).deviceRegistry()).hasValueSatisfying(registry ->
                assertThat(registry.hubHostNames()).containsExactly("hub-a.azure-devices.net"));
        assertThat(settings.toString()).doesNotContain(SECRET_KEY).contains("1 connection strings (not shown)");

        FunctionsSettingsException e = problemsOf(with(
                FunctionsSettings.REGISTRY_GUARD_CONNECTION_STRINGS, valid + "," + broken));
        assertThat(e.settingNames()).containsExactly(FunctionsSettings.REGISTRY_GUARD_CONNECTION_STRINGS);
        assertThat(e.getMessage()).contains("#2").doesNotContain(SECRET_KEY).doesNotContain("hub-b");

        assertThat(problemsOf(with(FunctionsSettings.REGISTRY_GUARD_CONNECTION_STRINGS, valid,
                FunctionsSettings.REGISTRY_GUARD_HUBS, "hub-a.azure-devices.net")).getMessage())
                .contains("not both").doesNotContain(SECRET_KEY);
    }

    @Test
    void rateLimitsCanBeTunedOrSwitchedOff() {
        FunctionsSettings tuned = FunctionsSettings.from(with(
                FunctionsSettings.RATE_LIMIT_CREATE_DELETES, "100",
                FunctionsSettings.RATE_LIMIT_PER_TWIN_WRITES, "5",
                FunctionsSettings.RATE_LIMIT_PATCHES, "200",
                FunctionsSettings.RATE_LIMIT_READS, "300",
                FunctionsSettings.RATE_LIMIT_QUERIES, "50"));
        assertThat(tuned.rateLimits()).hasValueSatisfying(limits -> {
            assertThat(limits.createDeletesPerSecond()).isEqualTo(100);
            assertThat(limits.perTwinWritesPerSecond()).isEqualTo(5);
            assertThat(limits.patchesPerSecond()).isEqualTo(200);
            assertThat(limits.readsPerSecond()).isEqualTo(300);
            assertThat(limits.queriesPerSecond()).isEqualTo(50);
        });

        assertThat(FunctionsSettings.from(with(FunctionsSettings.RATE_LIMITS_ENABLED, "false")).rateLimits())
                .isEmpty();
        assertThat(problemsOf(with(FunctionsSettings.RATE_LIMITS_ENABLED, "false",
                FunctionsSettings.RATE_LIMIT_READS, "10")).getMessage())
                .contains("DPSTWIN_RATE_LIMIT_READS_PER_SECOND is set but DPSTWIN_RATE_LIMITS_ENABLED is false");
        assertThat(problemsOf(with(FunctionsSettings.RATE_LIMIT_READS, "0")).settingNames())
                .containsExactly(FunctionsSettings.RATE_LIMIT_READS);
    }

    @Test
    void unknownDpsTwinSettingsAreReportedAndOthersIgnored() {
        FunctionsSettings settings = FunctionsSettings.from(with("DPSTWIN_PARALELISM", "4",
                "FUNCTIONS_WORKER_RUNTIME", "java", FunctionsSettings.EVENTHUB_NAME, "lifecycleevents"));

        assertThat(settings.unknownSettings()).containsExactly("DPSTWIN_PARALELISM");
    }

    @Test
    void toStringShowsNoClientIdOrSecret() {
        FunctionsSettings settings = FunctionsSettings.from(with(
                FunctionsSettings.AZURE_CLIENT_ID, "0b5c1ef5-8a8e-4a57-9c41-1f8c7c5d2e11"));

        assertThat(settings.toString()).contains("managedIdentityClientId=set")
                .doesNotContain("0b5c1ef5-8a8e-4a57-9c41-1f8c7c5d2e11");
    }

    @Test
    void theExceptionKeepsEveryProblemInOrder() {
        FunctionsSettingsException e = problemsOf(Map.of(FunctionsSettings.PARALLELISM, "0"));

        assertThat(e.problems()).extracting(FunctionsSettingsException.Problem::setting)
                .containsExactly(FunctionsSettings.ADT_SERVICE_URL, FunctionsSettings.PARALLELISM);
        assertThatThrownBy(() -> FunctionsSettings.from(null)).isInstanceOf(NullPointerException.class);
    }

    // ---------------------------------------------------------------- reconciler

    @Test
    void theReconcilerIsOffWithoutHubsAndItsOptionsHaveCoresDefaults() {
        FunctionsSettings settings = FunctionsSettings.from(with(FunctionsSettings.RECONCILE_SCHEDULE, "0 0 * * * *"));

        assertThat(settings.reconcileEnabled()).isFalse();
        assertThat(settings.deviceInventory(TestCredentials.fixed())).isEmpty();
        assertThat(settings.reconcileApply()).isFalse();
        assertThat(settings.unknownSettings()).isEmpty();
        ReconcileOptions options = settings.reconcileOptions(null);
        assertThat(options.gracePeriod()).isEqualTo(ReconcileOptions.DEFAULT_GRACE_PERIOD);
        assertThat(options.maxRetirements()).isEqualTo(ReconcileOptions.DEFAULT_MAX_RETIREMENTS);
        assertThat(options.maxRetirementShare()).isEqualTo(ReconcileOptions.DEFAULT_MAX_RETIREMENT_SHARE);
        assertThat(options.queriesPerMinute()).isEqualTo(ReconcileOptions.DEFAULT_QUERIES_PER_MINUTE);
        assertThat(options.registryReadsPerMinute()).isEqualTo(ReconcileOptions.DEFAULT_REGISTRY_READS_PER_MINUTE);
        assertThat(options.parallelism()).isEqualTo(ReconcileOptions.DEFAULT_PARALLELISM);
        assertThat(options.registryGuard()).isEmpty();
        assertThat(settings.toString()).contains("reconcile=off");
    }

    @Test
    void reconcileSettingsBecomeTheInventoryAndTheReconcilersOptions() {
        FunctionsSettings settings = FunctionsSettings.from(with(
                FunctionsSettings.RECONCILE_HUBS, "hub-a.azure-devices.net, hub-b.azure-devices.net",
                FunctionsSettings.RECONCILE_DEVICE_MODELS, THERMOSTAT,
                FunctionsSettings.RECONCILE_APPLY, "TRUE",
                FunctionsSettings.RECONCILE_GRACE_PERIOD, "PT5M",
                FunctionsSettings.RECONCILE_MAX_RETIREMENTS, "25",
                FunctionsSettings.RECONCILE_MAX_RETIREMENT_SHARE, "0.1",
                FunctionsSettings.RECONCILE_QUERIES_PER_MINUTE, "40",
                FunctionsSettings.RECONCILE_REGISTRY_READS_PER_MINUTE, "90",
                FunctionsSettings.RECONCILE_PARALLELISM, "2",
                FunctionsSettings.TWIN_ID_PREFIX, "device-"));

        assertThat(settings.reconcileEnabled()).isTrue();
        assertThat(settings.reconcileApply()).isTrue();
        assertThat(settings.reconcileHubs()).containsExactly("hub-a.azure-devices.net", "hub-b.azure-devices.net");
        assertThat(settings.deviceInventory(TestCredentials.fixed())).hasValueSatisfying(inventory ->
                assertThat(inventory.hubHostNames())
                        .containsExactly("hub-a.azure-devices.net", "hub-b.azure-devices.net"));
        ReconcileOptions options = settings.reconcileOptions(TestCredentials.fixed());
        assertThat(options.deviceModels()).containsExactly(THERMOSTAT);
        assertThat(options.gracePeriod()).isEqualTo(Duration.ofMinutes(5));
        assertThat(options.maxRetirements()).isEqualTo(25);
        assertThat(options.maxRetirementShare()).isEqualTo(0.1);
        assertThat(options.queriesPerMinute()).isEqualTo(40);
        assertThat(options.registryReadsPerMinute()).isEqualTo(90);
        assertThat(options.parallelism()).isEqualTo(2);
        assertThat(options.twinIdStrategy().twinIdFor("dev-1")).isEqualTo("device-dev-1");
        assertThat(options.deviceIdOfTwin().apply("device-dev-1")).isEqualTo("dev-1");
        assertThat(options.registryGuard()).as("without a retire-flow guard, the reconciled hubs guard retirements")
                .hasValueSatisfying(guard -> assertThat(guard.hubHostNames())
                        .containsExactly("hub-a.azure-devices.net", "hub-b.azure-devices.net"));
        assertThat(settings.toString()).contains("reconcile=[hub-a.azure-devices.net, hub-b.azure-devices.net]/apply");
    }

    @Test
    void theRetireFlowsGuardIsLeftToDpsTwinWhenConfigured() {
        FunctionsSettings settings = FunctionsSettings.from(with(
                FunctionsSettings.RECONCILE_HUBS, "hub-a.azure-devices.net",
                FunctionsSettings.REGISTRY_GUARD_HUBS, "hub-a.azure-devices.net,hub-b.azure-devices.net",
                FunctionsSettings.DEFAULT_MODEL, THERMOSTAT));

        assertThat(settings.reconcileOptions(TestCredentials.fixed()).registryGuard()).isEmpty();
        assertThat(settings.lifecycleOptions(TestCredentials.fixed()).deviceRegistry()).isPresent();
    }

    @Test
    void theDefaultModelIsEnoughAsADeviceModelButNoModelAtAllIsAProblem() {
        assertThat(FunctionsSettings.from(with(FunctionsSettings.RECONCILE_HUBS, "hub-a.azure-devices.net",
                FunctionsSettings.DEFAULT_MODEL, THERMOSTAT)).reconcileEnabled()).isTrue();

        FunctionsSettingsException e = problemsOf(with(FunctionsSettings.RECONCILE_HUBS, "hub-a.azure-devices.net"));
        assertThat(e.settingNames()).containsExactly(FunctionsSettings.RECONCILE_DEVICE_MODELS);
        assertThat(e.getMessage()).contains("DPSTWIN_RECONCILE_DEVICE_MODELS is missing", "DPSTWIN_DEFAULT_MODEL");
    }

    @Test
    void invalidReconcileSettingsAreReportedByName() {
        FunctionsSettingsException e = problemsOf(with(
                FunctionsSettings.RECONCILE_HUBS, "hub-a",
                FunctionsSettings.RECONCILE_DEVICE_MODELS, "thermostat",
                FunctionsSettings.RECONCILE_APPLY, "yes",
                FunctionsSettings.RECONCILE_GRACE_PERIOD, "5",
                FunctionsSettings.RECONCILE_MAX_RETIREMENTS, "-1",
                FunctionsSettings.RECONCILE_MAX_RETIREMENT_SHARE, "1.5",
                FunctionsSettings.RECONCILE_QUERIES_PER_MINUTE, "0",
                FunctionsSettings.RECONCILE_REGISTRY_READS_PER_MINUTE, "many",
                FunctionsSettings.RECONCILE_PARALLELISM, "65"));

        assertThat(e.settingNames()).containsExactlyInAnyOrder(FunctionsSettings.RECONCILE_HUBS,
                FunctionsSettings.RECONCILE_DEVICE_MODELS, FunctionsSettings.RECONCILE_APPLY,
                FunctionsSettings.RECONCILE_GRACE_PERIOD, FunctionsSettings.RECONCILE_MAX_RETIREMENTS,
                FunctionsSettings.RECONCILE_MAX_RETIREMENT_SHARE, FunctionsSettings.RECONCILE_QUERIES_PER_MINUTE,
                FunctionsSettings.RECONCILE_REGISTRY_READS_PER_MINUTE, FunctionsSettings.RECONCILE_PARALLELISM);
        assertThat(e.getMessage())
                .contains("DPSTWIN_RECONCILE_GRACE_PERIOD is invalid: expected at least 10 seconds")
                .contains("DPSTWIN_RECONCILE_MAX_RETIREMENT_SHARE is invalid: expected a decimal number from 0 to 1");
        assertThat(problemsOf(with(FunctionsSettings.RECONCILE_MAX_RETIREMENT_SHARE, "NaN")).settingNames())
                .containsExactly(FunctionsSettings.RECONCILE_MAX_RETIREMENT_SHARE);
    }

    @Test
    void reconcileConnectionStringsAreCheckedButNeverShown() {
        String valid = "HostName=hub-a.azure-devices.net;SharedAccessKeyName=registryRead;SharedAccessKey="
                + SECRET_KEY;
        String broken = "HostName=hub-b.azure-devices.net;SharedAccessKey=" + SECRET_KEY;

        FunctionsSettings settings = FunctionsSettings.from(with(
                FunctionsSettings.RECONCILE_CONNECTION_STRINGS, valid, FunctionsSettings.DEFAULT_MODEL, THERMOSTAT));
        assertThat(settings.reconcileUsesConnectionStrings()).isTrue();
        assertThat(settings.deviceInventory(null)).hasValueSatisfying(inventory -> {
            assertThat(inventory.hubHostNames()).containsExactly("hub-a.azure-devices.net");
            assertThat(inventory.toString()).doesNotContain(SECRET_KEY);
        });
        assertThat(settings.reconcileOptions(null).registryGuard()).hasValueSatisfying(guard ->
                assertThat(guard.hubHostNames()).containsExactly("hub-a.azure-devices.net"));
        assertThat(settings.toString()).doesNotContain(SECRET_KEY)
                .contains("reconcile=1 connection strings (not shown)/dry-run");

        FunctionsSettingsException e = problemsOf(with(FunctionsSettings.DEFAULT_MODEL, THERMOSTAT,
                FunctionsSettings.RECONCILE_CONNECTION_STRINGS, valid + "," + broken));
        assertThat(e.settingNames()).containsExactly(FunctionsSettings.RECONCILE_CONNECTION_STRINGS);
        assertThat(e.getMessage()).contains("#2").doesNotContain(SECRET_KEY).doesNotContain("hub-b");

        assertThat(problemsOf(with(FunctionsSettings.DEFAULT_MODEL, THERMOSTAT,
                FunctionsSettings.RECONCILE_CONNECTION_STRINGS, valid,
                FunctionsSettings.RECONCILE_HUBS, "hub-a.azure-devices.net")).getMessage())
                .contains("not both").doesNotContain(SECRET_KEY);
    }
}
