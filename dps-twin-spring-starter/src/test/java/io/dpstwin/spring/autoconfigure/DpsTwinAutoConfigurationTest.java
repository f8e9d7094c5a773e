package io.dpstwin.spring.autoconfigure;

import io.dpstwin.core.DpsTwinMeters;
import com.azure.core.credential.TokenCredential;
import com.azure.digitaltwins.core.DigitalTwinsClient;
import com.azure.identity.DefaultAzureCredential;
import io.dpstwin.core.DpsTwin;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.dpstwin.core.allocation.Allocation;
import io.dpstwin.core.allocation.AllocationOptions;
import io.dpstwin.core.allocation.AllocationRequest;
import io.dpstwin.core.allocation.DpsAllocationHandler;
import io.dpstwin.core.allocation.EnrollmentRef;
import io.dpstwin.core.allocation.HubSelectionPolicy;
import io.dpstwin.core.allocation.MissingParentPolicy;
import io.dpstwin.core.lifecycle.DeadLetter;
import io.dpstwin.core.lifecycle.DeadLetterSink;
import io.dpstwin.core.lifecycle.EventGridLifecycleParser;
import io.dpstwin.core.lifecycle.LifecycleOptions;
import io.dpstwin.core.lifecycle.LifecycleOutcome;
import io.dpstwin.core.lifecycle.LifecycleProcessor;
import io.dpstwin.core.retirement.RetirementPolicy;
import io.dpstwin.core.twins.AdtException;
import io.dpstwin.core.twins.DigitalTwinsGateway;
import io.dpstwin.core.twins.EnsuredTwin;
import io.dpstwin.core.twins.ModelMismatchPolicy;
import io.dpstwin.core.twins.SdkDigitalTwinsGateway;
import io.dpstwin.testkit.dps.DpsRequests;
import io.dpstwin.testkit.iothub.IotHubEvents;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationHandler;
import io.micrometer.observation.ObservationRegistry;
import org.junit.jupiter.api.Test;
import org.mockito.Mockito;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.test.context.assertj.ApplicationContextAssertProvider;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;

class DpsTwinAutoConfigurationTest {

    private static final String ENDPOINT = "dps-twin.digital-twins.endpoint=https://contoso.api.weu.digitaltwins.azure.net";
    private static final String THERMOSTAT = "dtmi:contosocom:DigitalTwins:Thermostat;1";

    private static final ObjectMapper JSON = new ObjectMapper();

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(DpsTwinAutoConfiguration.class));

    @Test
    void buildsTheClientTheGatewayAndBothFlowsFromTheEndpoint() {
        runner.withPropertyValues(ENDPOINT)
                .withBean(TokenCredential.class, TestCredentials::fixedToken)
                .run(context -> {
                    assertThat(context).hasSingleBean(DigitalTwinsClient.class)
                            .hasSingleBean(SdkDigitalTwinsGateway.class)
                            .hasSingleBean(DpsTwin.class)
                            .hasSingleBean(DpsAllocationHandler.class)
                            .hasSingleBean(LifecycleProcessor.class)
                            .hasSingleBean(AllocationOptions.class)
                            .hasSingleBean(LifecycleOptions.class);
                    DpsTwin dpsTwin = context.getBean(DpsTwin.class);
                    assertThat(context.getBean(DpsAllocationHandler.class)).isSameAs(dpsTwin.allocation());
                    assertThat(context.getBean(LifecycleProcessor.class)).isSameAs(dpsTwin.lifecycle());
                    assertThat(dpsTwin.gateway()).isSameAs(context.getBean(SdkDigitalTwinsGateway.class));
                });
    }

    @Test
    void failsFastWithAMessageNamingThePropertyWhenTheEndpointIsMissing() {
        runner.withBean(TokenCredential.class, TestCredentials::fixedToken).run(context -> {
            DpsTwinConfigurationException cause = startFailure(context, "dps-twin.digital-twins.endpoint");
            FailureAnalysis analysis = new DpsTwinConfigurationFailureAnalyzer().analyze(context.getStartupFailure());
            assertThat(analysis.getDescription()).contains("dps-twin.digital-twins.endpoint").contains("is not set");
            assertThat(analysis.getAction()).contains("https://<instance>.api.<region>.digitaltwins.azure.net")
                    .contains("DigitalTwinsClient");
        });
    }

    @Test
    void refusesAnEndpointThatIsNotHttps() {
        runner.withPropertyValues("dps-twin.digital-twins.endpoint=http://contoso.api.weu.digitaltwins.azure.net")
                .withBean(TokenCredential.class, TestCredentials::fixedToken)
                .run(context -> {
                    DpsTwinConfigurationException cause = startFailure(context, "dps-twin.digital-twins.endpoint");
                    assertThat(cause.problem()).contains("https://");
                });
    }

    @Test
    void usesDefaultAzureCredentialWhenTheApplicationDefinesNoCredential() {
        runner.withPropertyValues(ENDPOINT,
                        "dps-twin.credential.managed-identity-client-id=00000000-0000-0000-0000-000000000001")
                .run(context -> assertThat(context).getBean(TokenCredential.class)
                        .isInstanceOf(DefaultAzureCredential.class));
    }

    @Test
    void theApplicationsTokenCredentialWins() {
        TokenCredential own = TestCredentials.fixedToken();
        runner.withPropertyValues(ENDPOINT)
                .withBean("myCredential", TokenCredential.class, () -> own)
                .run(context -> {
                    assertThat(context).hasSingleBean(TokenCredential.class).doesNotHaveBean("dpsTwinCredential");
                    assertThat(context.getBean(TokenCredential.class)).isSameAs(own);
                });
    }

    @Test
    void theApplicationsDigitalTwinsClientWinsAndNeedsNoEndpoint() {
        DigitalTwinsClient own = Mockito.mock(DigitalTwinsClient.class);
        runner.withBean(DigitalTwinsClient.class, () -> own).run(context -> {
            assertThat(context).hasNotFailed().hasSingleBean(DigitalTwinsClient.class)
                    .doesNotHaveBean("dpsTwinDigitalTwinsClient");
            assertThat(context.getBean(DigitalTwinsClient.class)).isSameAs(own);
            assertThat(context).hasSingleBean(DpsTwin.class);
        });
    }

    @Test
    void theApplicationsGatewayWinsAndNoClientIsBuilt() {
        DigitalTwinsGateway own = Mockito.mock(DigitalTwinsGateway.class);
        runner.withBean(DigitalTwinsGateway.class, () -> own).run(context -> {
            assertThat(context).hasNotFailed().doesNotHaveBean(DigitalTwinsClient.class);
            assertThat(context.getBean(DpsTwin.class).gateway()).isSameAs(own);
        });
    }

    @Test
    void theApplicationsOptionsWin() {
        AllocationOptions allocation = AllocationOptions.builder().defaultModel(THERMOSTAT).build();
        LifecycleOptions lifecycle = LifecycleOptions.builder().createDeviceIdentity(false).build();
        runner.withPropertyValues(ENDPOINT, "dps-twin.allocation.default-model=dtmi:com:example:Other;1")
                .withBean(TokenCredential.class, TestCredentials::fixedToken)
                .withBean(AllocationOptions.class, () -> allocation)
                .withBean(LifecycleOptions.class, () -> lifecycle)
                .run(context -> {
                    assertThat(context.getBean(AllocationOptions.class)).isSameAs(allocation);
                    assertThat(context.getBean(DpsAllocationHandler.class).options().globalDefaultModel())
                            .contains(THERMOSTAT);
                    assertThat(context.getBean(LifecycleProcessor.class).options().createDeviceIdentity()).isFalse();
                });
    }

    @Test
    void theApplicationsDeadLetterSinkReceivesEventsTheRetireFlowGaveUpOn() {
        List<DeadLetter> parked = new CopyOnWriteArrayList<>();
        DigitalTwinsGateway forbidden = Mockito.mock(DigitalTwinsGateway.class, invocation -> {
            throw new AdtException(403, "Forbidden", "the identity lacks a data role");
        });
        runner.withBean(DigitalTwinsGateway.class, () -> forbidden)
                .withBean(DeadLetterSink.class, () -> parked::add)
                .run(context -> {
                    LifecycleProcessor processor = context.getBean(LifecycleProcessor.class);
                    String delivery = IotHubEvents.deviceDeleted("hub-a", "dev-1").toEventGridJson();
                    var result = processor.process(new EventGridLifecycleParser().parse(delivery));
                    assertThat(result.outcomes()).singleElement()
                            .satisfies(o -> assertThat(o.outcome()).isEqualTo(LifecycleOutcome.DEAD_LETTERED));
                    assertThat(parked).singleElement().satisfies(letter -> {
                        assertThat(letter.twinId()).isEqualTo("dev-1");
                        assertThat(letter.statusCode()).isEqualTo(403);
                    });
                });
    }

    @Test
    void bindsEveryAllocationPropertyIntoTheOptions() {
        runner.withPropertyValues(ENDPOINT,
                        "dps-twin.allocation.hub-selection.policy=weighted",
                        "dps-twin.allocation.hub-selection.weights=hub-a.azure-devices.net=3",
                        "dps-twin.allocation.default-model=" + THERMOSTAT,
                        "dps-twin.allocation.allowed-models=" + THERMOSTAT + ",dtmi:com:example:Room;1",
                        "dps-twin.allocation.enrollment-groups[plant-1.group].default-model=dtmi:com:example:Room;1",
                        "dps-twin.allocation.enrollment-groups[plant-1.group].allowed-models=dtmi:com:example:Room;1",
                        "dps-twin.allocation.enrollment-groups[plant-1.group].parent-twin-id=room-1",
                        "dps-twin.allocation.individual-enrollments[dev-9].default-model=" + THERMOSTAT,
                        "dps-twin.allocation.initial-properties={\"" + THERMOSTAT + "\":{\"Temperature\":21.5}}",
                        "dps-twin.allocation.initial-twin-tags={\"site\":\"plant-1\"}",
                        "dps-twin.allocation.initial-twin-desired-properties={\"telemetryInterval\":30}",
                        "dps-twin.allocation.merge-enrollment-initial-twin=false",
                        "dps-twin.allocation.twin-id-prefix=device-",
                        "dps-twin.allocation.model-mismatch-policy=migrate",
                        "dps-twin.allocation.placement.enabled=true",
                        "dps-twin.allocation.placement.relationship-name=serves",
                        "dps-twin.allocation.placement.missing-parent-policy=skip",
                        "dps-twin.allocation.return-twin-id-in-payload=true",
                        "dps-twin.allocation.accept-uppercase-registration-ids=true",
                        "dps-twin.allocation.max-body-size=64KB")
                .withBean(TokenCredential.class, TestCredentials::fixedToken)
                .run(context -> {
                    AllocationOptions options = context.getBean(AllocationOptions.class);
                    assertThat(options.hubSelection().toString()).containsIgnoringCase("weight");
                    assertThat(options.globalDefaultModel()).contains(THERMOSTAT);
                    assertThat(options.defaultModels()).containsEntry(EnrollmentRef.group("plant-1.group"),
                            "dtmi:com:example:Room;1").containsEntry(EnrollmentRef.individual("dev-9"), THERMOSTAT);
                    assertThat(options.allowedModelsFor(Optional.of(EnrollmentRef.group("plant-1.group"))))
                            .contains(java.util.Set.of("dtmi:com:example:Room;1"));
                    assertThat(options.allowedModelsFor(Optional.empty()))
                            .contains(java.util.Set.of(THERMOSTAT, "dtmi:com:example:Room;1"));
                    assertThat(options.initialTwinTags()).containsEntry("site", "plant-1");
                    assertThat(options.initialTwinDesiredProperties()).containsEntry("telemetryInterval", 30);
                    assertThat(options.mergeEnrollmentInitialTwin()).isFalse();
                    assertThat(options.twinIdStrategy().twinIdFor("dev-1")).isEqualTo("device-dev-1");
                    assertThat(options.modelMismatchPolicy()).isEqualTo(ModelMismatchPolicy.MIGRATE);
                    assertThat(options.placement()).hasValueSatisfying(placement -> {
                        assertThat(placement.relationshipName()).isEqualTo("serves");
                        assertThat(placement.missingParentPolicy()).isEqualTo(MissingParentPolicy.SKIP);
                    });
                    assertThat(options.acceptUppercaseRegistrationIds()).isTrue();
                    assertThat(options.maxBodyBytes()).isEqualTo(64 * 1024);
                    AllocationRequest request = JSON.readValue(DpsRequests.group("g").registrationId("dev-1")
                            .toJson(), AllocationRequest.class);
                    assertThat(options.initialProperties().initialProperties(THERMOSTAT, request))
                            .containsEntry("Temperature", 21.5);
                    Allocation allocation = new Allocation("dev-1", "dev-1", "hub-a.azure-devices.net",
                            "device-dev-1", THERMOSTAT, EnsuredTwin.Outcome.CREATED, null);
                    assertThat(options.devicePayload().payloadFor(allocation, request))
                            .containsEntry("twinId", "device-dev-1");
                    assertThat(context.getBean(LifecycleProcessor.class).options().twinIdStrategy().twinIdFor("dev-1"))
                            .as("retirement looks for the twins allocation made").isEqualTo("device-dev-1");
                });
    }

    @Test
    void theWeightedPolicyFollowsTheConfiguredWeights() {
        runner.withPropertyValues(ENDPOINT,
                        "dps-twin.allocation.hub-selection.policy=weighted",
                        "dps-twin.allocation.hub-selection.weights[0]=hub-a.azure-devices.net=1",
                        "dps-twin.allocation.hub-selection.weights[1]=hub-b.azure-devices.net=0")
                .withBean(TokenCredential.class, TestCredentials::fixedToken)
                .run(context -> {
                    HubSelectionPolicy policy = context.getBean(AllocationOptions.class).hubSelection();
                    for (int i = 0; i < 20; i++) {
                        AllocationRequest request = JSON.readValue(DpsRequests.group("g").registrationId("dev-" + i)
                                .linkedHubs("hub-a.azure-devices.net", "hub-b.azure-devices.net").toJson(),
                                AllocationRequest.class);
                        assertThat(policy.selectHub(request)).as("hub-b weighs 0 and is drained")
                                .isEqualTo("hub-a.azure-devices.net");
                    }
                });
    }

    @Test
    void reportsAnInvalidModelIdByItsProperty() {
        runner.withPropertyValues(ENDPOINT, "dps-twin.allocation.default-model=not-a-dtmi")
                .withBean(TokenCredential.class, TestCredentials::fixedToken)
                .run(context -> startFailure(context, "dps-twin.allocation.default-model"));
    }

    @Test
    void reportsInitialPropertiesThatAreNotAJsonObject() {
        runner.withPropertyValues(ENDPOINT,
                        "dps-twin.allocation.initial-properties={\"" + THERMOSTAT + "\":[1,2]}")
                .withBean(TokenCredential.class, TestCredentials::fixedToken)
                .run(context -> startFailure(context, "dps-twin.allocation.initial-properties"));
    }

    @Test
    void reportsAMisspeltEnrollmentEntryInsteadOfIgnoringIt() {
        runner.withPropertyValues(ENDPOINT, "dps-twin.allocation.enrollment-groups[g1].default-modle=" + THERMOSTAT)
                .withBean(TokenCredential.class, TestCredentials::fixedToken)
                .run(context -> {
                    DpsTwinConfigurationException cause = rootCause(context.getStartupFailure());
                    assertThat(cause.property()).isEqualTo("dps-twin.allocation.enrollment-groups");
                    assertThat(cause.problem()).contains("[g1].default-modle");
                });
    }

    @Test
    void bindsEveryLifecyclePropertyIntoTheOptions() {
        runner.withPropertyValues(ENDPOINT,
                        "dps-twin.allocation.default-model=" + THERMOSTAT,
                        "dps-twin.lifecycle.retirement-policy=detach",
                        "dps-twin.lifecycle.create-device-identity=false",
                        "dps-twin.lifecycle.served-hubs=hub-a,hub-b.azure-devices.net",
                        "dps-twin.lifecycle.parallelism=3",
                        "dps-twin.lifecycle.event-budget=20s",
                        "dps-twin.lifecycle.max-attempts=5",
                        "dps-twin.lifecycle.backoff.initial=50ms",
                        "dps-twin.lifecycle.backoff.max=2s")
                .withBean(TokenCredential.class, TestCredentials::fixedToken)
                .run(context -> {
                    LifecycleOptions options = context.getBean(LifecycleOptions.class);
                    assertThat(options.retirementPolicy()).isSameAs(RetirementPolicy.DETACH);
                    assertThat(options.createDeviceIdentity()).isFalse();
                    assertThat(options.serves("HUB-B")).isTrue();
                    assertThat(options.serves("hub-c")).isFalse();
                    assertThat(options.parallelism()).isEqualTo(3);
                    assertThat(options.eventBudget()).isEqualTo(Duration.ofSeconds(20));
                    assertThat(options.maxAttempts()).isEqualTo(5);
                    assertThat(options.initialBackoff()).isEqualTo(Duration.ofMillis(50));
                    assertThat(options.maxBackoff()).isEqualTo(Duration.ofSeconds(2));
                    assertThat(options.defaultModelId()).as("falls back to the allocation default").contains(THERMOSTAT);
                    assertThat(options.deviceRegistry()).isEmpty();
                });
    }

    @Test
    void anInvalidRegistryGuardConnectionStringFailsWithoutBeingQuoted() {
        String secret = "HostName=hub-a.azure-devices.net;SharedAccessKeyName=registryRead;SharedAccessKey=c2VjcmV0";
        String broken = "SharedAccessKey=c2VjcmV0;NotAHub";
        runner.withPropertyValues(ENDPOINT, "dps-twin.lifecycle.registry-guard.connection-strings[0]=" + broken)
                .withBean(TokenCredential.class, TestCredentials::fixedToken)
                .run(context -> {
                    DpsTwinConfigurationException cause = startFailure(context, "dps-twin.lifecycle.registry-guard.connection-strings");
                    assertThat(fullMessage(context.getStartupFailure())).doesNotContain("c2VjcmV0")
                            .doesNotContain(secret);
                });
    }

    @Test
    void aRegistryGuardFromHostNamesUsesTheApplicationsCredential() {
        runner.withPropertyValues(ENDPOINT,
                        "dps-twin.lifecycle.registry-guard.hub-host-names=hub-a.azure-devices.net")
                .withBean(TokenCredential.class, TestCredentials::fixedToken)
                .run(context -> assertThat(context.getBean(LifecycleOptions.class).deviceRegistry())
                        .hasValueSatisfying(registry -> assertThat(registry.hubHostNames())
                                .containsExactly("hub-a.azure-devices.net")));
    }

    @Test
    void recordsMetricsOnTheApplicationsMeterRegistry() {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        runner.withPropertyValues(ENDPOINT)
                .withBean(TokenCredential.class, TestCredentials::fixedToken)
                .withBean(MeterRegistry.class, () -> registry)
                .run(context -> {
                    var answer = context.getBean(DpsAllocationHandler.class).handle("{\"not\":\"a request\"}");
                    assertThat(answer.status()).isEqualTo(400);
                    assertThat(registry.find(DpsTwinMeters.ALLOCATIONS).counters()).isNotEmpty();
                });
    }

    @Test
    void observesAllocationsOnTheApplicationsObservationRegistry() {
        java.util.List<String> stopped = new java.util.concurrent.CopyOnWriteArrayList<>();
        ObservationRegistry observations = ObservationRegistry.create();
        observations.observationConfig().observationHandler(new ObservationHandler<>() {
            @Override
            public void onStop(Observation.Context context) {
                stopped.add(context.getName() + " " + context.getLowCardinalityKeyValue("outcome").getValue());
            }

            @Override
            public boolean supportsContext(Observation.Context context) {
                return true;
            }
        });
        runner.withPropertyValues(ENDPOINT)
                .withBean(TokenCredential.class, TestCredentials::fixedToken)
                .withBean(ObservationRegistry.class, () -> observations)
                .run(context -> {
                    context.getBean(DpsAllocationHandler.class).handle("{\"not\":\"a request\"}");
                    assertThat(stopped).containsExactly(DpsAllocationHandler.OBSERVATION + " rejected");
                });
    }

    @Test
    void backsOffEntirelyWhenDisabled() {
        runner.withPropertyValues("dps-twin.enabled=false")
                .run(context -> assertThat(context).hasNotFailed().doesNotHaveBean(DpsTwin.class)
                        .doesNotHaveBean(DigitalTwinsClient.class));
    }

    @Test
    void aCustomizerAdjustsTheAllocationOptionsAfterTheProperties() {
        runner.withPropertyValues(ENDPOINT, "dps-twin.allocation.default-model=" + THERMOSTAT)
                .withBean(TokenCredential.class, TestCredentials::fixedToken)
                .withBean(AllocationOptionsCustomizer.class, () -> builder -> builder.initialTwinTags(
                        Map.of("provisionedBy", "dps-twin")))
                .run(context -> {
                    AllocationOptions options = context.getBean(AllocationOptions.class);
                    assertThat(options.initialTwinTags()).containsEntry("provisionedBy", "dps-twin");
                    assertThat(options.globalDefaultModel()).contains(THERMOSTAT);
                });
    }

    /** Asserts that the start failed reporting {@code property}; returns the report, for more checks. */
    static DpsTwinConfigurationException startFailure(ApplicationContextAssertProvider<?> context, String property) {
        assertThat(context).hasFailed();
        DpsTwinConfigurationException cause = rootCause(context.getStartupFailure());
        assertThat(cause.property()).isEqualTo(property);
        return cause;
    }

    static DpsTwinConfigurationException rootCause(Throwable failure) {
        Throwable current = failure;
        while (current != null) {
            if (current instanceof DpsTwinConfigurationException configuration) {
                return configuration;
            }
            current = current.getCause();
        }
        throw new AssertionError("no DpsTwinConfigurationException in " + failure);
    }

    static String fullMessage(Throwable failure) {
        StringBuilder all = new StringBuilder();
        for (Throwable current = failure; current != null; current = current.getCause()) {
            all.append(current).append('\n');
        }
        return all.toString();
    }
}
