package io.dpstwin.core.allocation;

import io.dpstwin.core.twins.ModelMismatchPolicy;
import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static io.dpstwin.core.allocation.Requests.SPACE;
import static io.dpstwin.core.allocation.Requests.spaceInGroupElseThermostat;
import static io.dpstwin.core.allocation.Requests.THERMOSTAT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class AllocationOptionsTest {

    private static AllocationRequest device(String id) {
        return new AllocationRequest(null, null, DeviceRuntimeContext.of(id, null), List.of("h1", "h2"));
    }

    @Test
    void defaultsMirrorTheReferenceFlow() {
        AllocationOptions defaults = AllocationOptions.defaults();

        assertThat(defaults.hubSelection().selectHub(device("dev-1"))).isEqualTo("h1");
        assertThat(defaults.twinIdStrategy().twinIdFor("dev-1")).isEqualTo("dev-1");
        assertThat(defaults.modelMismatchPolicy()).isEqualTo(ModelMismatchPolicy.REJECT);
        assertThat(defaults.placement()).isEmpty();
        assertThat(defaults.devicePayload().payloadFor(null, device("dev-1"))).isNull();
        assertThat(defaults.globalDefaultModel()).isEmpty();
        assertThat(defaults.allowedModelsFor(Optional.of(EnrollmentRef.group("g")))).isEmpty();
        assertThat(defaults.initialProperties().initialProperties(THERMOSTAT, device("dev-1"))).isEmpty();
        assertThat(defaults.maxBodyBytes()).isEqualTo(96 * 1024);
        assertThat(defaults.acceptUppercaseRegistrationIds()).isFalse();
        assertThat(defaults.mergeEnrollmentInitialTwin()).isTrue();
    }

    @Test
    void rejectsInvalidDtmisWhenBuilding() {
        assertThatThrownBy(() -> AllocationOptions.builder().defaultModel("thermostat"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("not a valid DTMI");
        assertThatThrownBy(() -> AllocationOptions.builder().allowedModels(List.of(THERMOSTAT, "x")))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> AllocationOptions.builder().initialProperties("dtmi:bad_;1", Map.of()))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void rejectsAnEmptyAllowList() {
        assertThatThrownBy(() -> AllocationOptions.builder().allowedModels(List.of()))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void reservesTheDtIdAndDtmiTags() {
        assertThatThrownBy(() -> AllocationOptions.builder().initialTwinTags(Map.of("dtId", "x")))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void refusesInitialPropertiesPerModelTogetherWithAProvider() {
        AllocationOptions.Builder builder = AllocationOptions.builder()
                .initialProperties(THERMOSTAT, Map.of("Temperature", 0.0))
                .initialPropertiesProvider(InitialPropertiesProvider.none());

        assertThatThrownBy(builder::build).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void refusesANonPositiveBodyLimit() {
        assertThatThrownBy(() -> AllocationOptions.builder().maxBodyBytes(0))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void isImmutableAgainstLaterChangesOfTheInputs() {
        Map<String, Object> tags = new HashMap<>(Map.of("site", "p1"));
        AllocationOptions options = AllocationOptions.builder().initialTwinTags(tags).build();

        tags.put("site", "p2");

        assertThat(options.initialTwinTags()).containsEntry("site", "p1");
        assertThatThrownBy(() -> options.initialTwinTags().put("x", 1))
                .isInstanceOf(UnsupportedOperationException.class);
    }

    @Test
    void toBuilderKeepsEverySettingAndAllowsVariants() {
        AllocationOptions original = AllocationOptions.builder()
                .defaultModel(THERMOSTAT)
                .defaultModel(EnrollmentRef.group("g"), SPACE)
                .allowedModels(List.of(THERMOSTAT, SPACE))
                .initialProperties(THERMOSTAT, Map.of("Temperature", 0.0))
                .modelMismatchPolicy(ModelMismatchPolicy.KEEP)
                .maxBodyBytes(1000)
                .build();

        AllocationOptions variant = original.toBuilder().initialProperties(SPACE, Map.of("area", 1)).build();

        assertThat(variant.globalDefaultModel()).contains(THERMOSTAT);
        assertThat(variant.defaultModels()).containsEntry(EnrollmentRef.group("g"), SPACE);
        assertThat(variant.allowedModelsFor(Optional.empty())).hasValueSatisfying(set ->
                assertThat(set).containsExactlyInAnyOrder(THERMOSTAT, SPACE));
        assertThat(variant.modelMismatchPolicy()).isEqualTo(ModelMismatchPolicy.KEEP);
        assertThat(variant.maxBodyBytes()).isEqualTo(1000);
        assertThat(variant.initialProperties().initialProperties(THERMOSTAT, device("d")))
                .containsEntry("Temperature", 0.0);
        assertThat(variant.initialProperties().initialProperties(SPACE, device("d"))).containsEntry("area", 1);
        assertThat(original.initialProperties().initialProperties(SPACE, device("d"))).isEmpty();
    }

    @Test
    void theEffectiveModelResolverFallsBackFromPayloadToEnrollmentToGlobalDefault() {
        AllocationOptions options = spaceInGroupElseThermostat("g");
        AllocationRequest inGroup = new AllocationRequest(EnrollmentGroup.of("g"), null,
                DeviceRuntimeContext.of("d", null), List.of("h"));
        AllocationRequest withPayload = new AllocationRequest(EnrollmentGroup.of("g"), null,
                DeviceRuntimeContext.of("d", Map.of("modelId", "dtmi:x:Y;1")), List.of("h"));

        assertThat(options.effectiveModelResolver().resolveModel(withPayload)).contains("dtmi:x:Y;1");
        assertThat(options.effectiveModelResolver().resolveModel(inGroup)).contains(SPACE);
        assertThat(options.effectiveModelResolver().resolveModel(device("d"))).contains(THERMOSTAT);
    }

    @Test
    void customErrorCodesMustBePascalCase() {
        assertThatThrownBy(() -> new AllocationRejectedException("not pascal", "m"))
                .isInstanceOf(IllegalArgumentException.class);
        assertThat(new AllocationRejectedException("DeviceBlocked", "m").code()).isEqualTo("DeviceBlocked");
    }
}
