package io.dpstwin.spring.autoconfigure;

import com.azure.core.credential.TokenCredential;
import io.dpstwin.core.DpsTwin;
import io.dpstwin.core.reconcile.DeviceInventory;
import io.dpstwin.core.reconcile.IotHubDeviceInventory;
import io.dpstwin.core.reconcile.ReconcileOptions;
import io.dpstwin.core.reconcile.ReconcileReport;
import io.dpstwin.core.reconcile.ReconcileStatus;
import io.dpstwin.core.reconcile.Reconciler;
import io.dpstwin.core.retirement.IotHubDeviceRegistry;
import io.dpstwin.core.retirement.RetirementPolicy;
import io.dpstwin.core.twins.DigitalTwinsGateway;
import io.dpstwin.spring.reconcile.ReconcileEndpoint;
import io.dpstwin.spring.reconcile.ReconcileFixture;
import io.dpstwin.spring.reconcile.ReconcileRunner;
import io.dpstwin.spring.reconcile.ScheduledReconcile;
import io.dpstwin.testkit.registry.InMemoryDeviceRegistry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.actuate.endpoint.web.WebEndpointResponse;
import org.springframework.boot.actuate.endpoint.web.annotation.WebEndpoint;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import java.time.Duration;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;

import static io.dpstwin.spring.autoconfigure.DpsTwinAutoConfigurationTest.startFailure;
import static io.dpstwin.spring.autoconfigure.DpsTwinAutoConfigurationTest.fullMessage;
import static io.dpstwin.spring.autoconfigure.DpsTwinAutoConfigurationTest.rootCause;
import static io.dpstwin.spring.reconcile.ReconcileFixture.THERMOSTAT;
import static org.assertj.core.api.Assertions.assertThat;

@ExtendWith(OutputCaptureExtension.class)
class DpsTwinReconcileAutoConfigurationTest {

    private static final String HUBS = "dps-twin.reconcile.hub-host-names=hub-a.azure-devices.net,hub-b.azure-devices.net";
    private static final String MODELS = "dps-twin.reconcile.device-models=" + THERMOSTAT;
    private static final String EXPOSED = "management.endpoints.web.exposure.include=dpstwinreconcile";
    /** A connection string of the right shape; its key must never show up anywhere. */
    private static final String KEY = "c2VjcmV0LWtleS1uZXZlci1zaG93bg==";
    private static final String CONNECTION_STRING =
            "HostName=hub-c.azure-devices.net;SharedAccessKeyName=registryRead;SharedAccessKey=" + KEY;

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(DpsTwinAutoConfiguration.class,
                    DpsTwinReconcileAutoConfiguration.class, DpsTwinReconcileEndpointAutoConfiguration.class))
            .withBean(TokenCredential.class, TestCredentials::fixedToken);

    /** The runner with an in-memory ADT holding the fixture's twins. */
    private ApplicationContextRunner withAdt(ReconcileFixture fixture) {
        return runner.withBean(DigitalTwinsGateway.class, () -> fixture.adt);
    }

    @Test
    void noReconcilerBeansWithoutHubConfiguration() {
        withAdt(ReconcileFixture.withDrift())
                .withPropertyValues(MODELS, "dps-twin.reconcile.schedule.cron=0 0 3 * * *", EXPOSED)
                .run(context -> {
                    assertThat(context).hasNotFailed().hasSingleBean(DpsTwin.class)
                            .doesNotHaveBean(DeviceInventory.class).doesNotHaveBean(Reconciler.class)
                            .doesNotHaveBean(ReconcileRunner.class).doesNotHaveBean(ScheduledReconcile.class)
                            .doesNotHaveBean(ReconcileEndpoint.class);
                    assertThat(context.getBean(DpsTwin.class).reconciler()).isEmpty();
                });
    }

    @Test
    void blankHubHostNamesConfigureNothing() {
        withAdt(ReconcileFixture.withDrift()).withPropertyValues(MODELS, "dps-twin.reconcile.hub-host-names=")
                .run(context -> assertThat(context).hasNotFailed().doesNotHaveBean(DeviceInventory.class)
                        .doesNotHaveBean(Reconciler.class));
    }

    @Test
    void hubHostNamesGiveAnInventoryAndTheDpsTwinsReconcilerWithTheSameHubsAsRegistryGuard() {
        withAdt(ReconcileFixture.withDrift())
                .withPropertyValues(HUBS, MODELS)
                .run(context -> {
                    assertThat(context).hasSingleBean(IotHubDeviceInventory.class).hasSingleBean(Reconciler.class)
                            .hasSingleBean(ReconcileRunner.class).doesNotHaveBean(ScheduledReconcile.class);
                    assertThat(context.getBean(IotHubDeviceInventory.class).hubHostNames())
                            .containsExactly("hub-a.azure-devices.net", "hub-b.azure-devices.net");
                    Reconciler reconciler = context.getBean(Reconciler.class);
                    assertThat(reconciler).isSameAs(context.getBean(DpsTwin.class).reconciler().orElseThrow());
                    assertThat(context.getBean(ReconcileRunner.class).reconciler()).isSameAs(reconciler);
                    ReconcileOptions options = reconciler.options();
                    assertThat(options.deviceModels()).containsExactly(THERMOSTAT);
                    assertThat(options.gracePeriod()).isEqualTo(ReconcileOptions.DEFAULT_GRACE_PERIOD);
                    assertThat(options.registryGuard()).hasValueSatisfying(guard -> {
                        assertThat(guard).isInstanceOf(IotHubDeviceRegistry.class);
                        assertThat(guard.hubHostNames())
                                .containsExactly("hub-a.azure-devices.net", "hub-b.azure-devices.net");
                    });
                });
    }

    @Test
    void theRetireFlowsRegistryGuardIsTheReconcilersWhenConfigured() {
        withAdt(ReconcileFixture.withDrift())
                .withPropertyValues(HUBS, MODELS,
                        "dps-twin.lifecycle.registry-guard.hub-host-names=hub-z.azure-devices.net")
                .run(context -> assertThat(context.getBean(Reconciler.class).options().registryGuard())
                        .hasValueSatisfying(guard -> assertThat(guard.hubHostNames())
                                .containsExactly("hub-z.azure-devices.net")));
    }

    @Test
    void bindsEveryReconcilePropertyIntoTheOptions() {
        withAdt(ReconcileFixture.withDrift())
                .withPropertyValues(HUBS,
                        "dps-twin.reconcile.device-models[0]=" + THERMOSTAT,
                        "dps-twin.reconcile.device-models[1]=dtmi:com:example:Sensor;1",
                        "dps-twin.reconcile.grace-period=30s",
                        "dps-twin.reconcile.max-retirements=5",
                        "dps-twin.reconcile.max-retirement-share=0.2",
                        "dps-twin.reconcile.max-plan-age=5m",
                        "dps-twin.reconcile.queries-per-minute=4",
                        "dps-twin.reconcile.registry-reads-per-minute=20",
                        "dps-twin.reconcile.parallelism=2",
                        "dps-twin.reconcile.report-item-limit=50",
                        "dps-twin.allocation.default-model=dtmi:com:example:Device;1",
                        "dps-twin.lifecycle.retirement-policy=detach")
                .run(context -> {
                    ReconcileOptions options = context.getBean(Reconciler.class).options();
                    assertThat(options.deviceModels()).containsExactlyInAnyOrder(THERMOSTAT,
                            "dtmi:com:example:Sensor;1");
                    assertThat(options.defaultModel()).as("the flows' default model").contains(
                            "dtmi:com:example:Device;1");
                    assertThat(options.gracePeriod()).isEqualTo(Duration.ofSeconds(30));
                    assertThat(options.maxRetirements()).isEqualTo(5);
                    assertThat(options.maxRetirementShare()).isEqualTo(0.2);
                    assertThat(options.maxPlanAge()).isEqualTo(Duration.ofMinutes(5));
                    assertThat(options.queriesPerMinute()).isEqualTo(4);
                    assertThat(options.registryReadsPerMinute()).isEqualTo(20);
                    assertThat(options.parallelism()).isEqualTo(2);
                    assertThat(options.reportItemLimit()).isEqualTo(50);
                    assertThat(options.retirementPolicy()).as("the retire flow's policy")
                            .containsSame(RetirementPolicy.DETACH);
                });
    }

    @Test
    void aTwinIdPrefixGivesTheReconcilerItsInverseForTheRegistryGuard() {
        withAdt(ReconcileFixture.withDrift())
                .withPropertyValues(HUBS, MODELS, "dps-twin.allocation.twin-id-prefix=device-")
                .run(context -> {
                    ReconcileOptions options = context.getBean(Reconciler.class).options();
                    assertThat(options.twinIdStrategy().twinIdFor("dev-1")).isEqualTo("device-dev-1");
                    assertThat(options.deviceIdOfTwin().apply("device-dev-1")).isEqualTo("dev-1");
                });
    }

    @Test
    void aUsersDeviceInventoryWinsOverTheHubProperties() {
        ReconcileFixture fixture = ReconcileFixture.withDrift();
        withAdt(fixture)
                .withBean(InMemoryDeviceRegistry.class, () -> fixture.hubs)
                .withPropertyValues(HUBS, MODELS)
                .run(context -> {
                    assertThat(context).hasSingleBean(DeviceInventory.class)
                            .doesNotHaveBean(IotHubDeviceInventory.class).hasSingleBean(Reconciler.class);
                    ReconcileReport report = context.getBean(Reconciler.class).dryRun();
                    assertThat(report.status()).isEqualTo(ReconcileStatus.OK);
                    assertThat(report.hubs()).containsExactly(ReconcileFixture.HUB);
                    assertThat(report.orphans()).extracting(o -> o.twinId()).containsExactly(ReconcileFixture.ORPHAN);
                    assertThat(report.missing()).extracting(m -> m.deviceId()).containsExactly(ReconcileFixture.MISSING);
                });
    }

    @Test
    void aUsersDeviceInventoryAloneEnablesTheReconciler() {
        ReconcileFixture fixture = ReconcileFixture.withDrift();
        withAdt(fixture)
                .withBean(InMemoryDeviceRegistry.class, () -> fixture.hubs)
                .withPropertyValues("dps-twin.allocation.default-model=" + THERMOSTAT)
                .run(context -> assertThat(context.getBean(Reconciler.class).options().effectiveDeviceModels())
                        .containsExactly(THERMOSTAT));
    }

    @Test
    void aUsersReconcileOptionsWinOverTheProperties() {
        ReconcileOptions own = ReconcileOptions.builder().deviceModels(THERMOSTAT)
                .gracePeriod(Duration.ofSeconds(42)).build();
        withAdt(ReconcileFixture.withDrift())
                .withBean(ReconcileOptions.class, () -> own)
                .withPropertyValues(HUBS, MODELS, "dps-twin.reconcile.grace-period=30s")
                .run(context -> assertThat(context.getBean(Reconciler.class).options().gracePeriod())
                        .isEqualTo(Duration.ofSeconds(42)));
    }

    @Test
    void aCustomizerAdjustsTheReconcileOptionsAfterTheProperties() {
        withAdt(ReconcileFixture.withDrift())
                .withBean(ReconcileOptionsCustomizer.class, () -> builder -> builder.maxRetirements(7))
                .withPropertyValues(HUBS, MODELS, "dps-twin.reconcile.max-retirements=3")
                .run(context -> assertThat(context.getBean(Reconciler.class).options().maxRetirements())
                        .isEqualTo(7));
    }

    @Test
    void withoutDeviceModelsOrADefaultModelTheStartFailsNamingTheProperty() {
        withAdt(ReconcileFixture.withDrift()).withPropertyValues(HUBS).run(context -> {
            DpsTwinConfigurationException cause = startFailure(context, "dps-twin.reconcile.device-models");
            assertThat(cause.problem()).contains("dps-twin.allocation.default-model");
        });
    }

    @Test
    void anInvalidDeviceModelFailsNamingTheProperty() {
        withAdt(ReconcileFixture.withDrift())
                .withPropertyValues(HUBS, "dps-twin.reconcile.device-models=not-a-dtmi")
                .run(context -> assertThat(rootCause(context.getStartupFailure()).property())
                        .isEqualTo("dps-twin.reconcile.device-models"));
    }

    @Test
    void aGracePeriodUnderTenSecondsFailsNamingTheProperty() {
        withAdt(ReconcileFixture.withDrift())
                .withPropertyValues(HUBS, MODELS, "dps-twin.reconcile.grace-period=5s")
                .run(context -> assertThat(rootCause(context.getStartupFailure()).property())
                        .isEqualTo("dps-twin.reconcile.grace-period"));
    }

    @Test
    void hubHostNamesAndConnectionStringsTogetherFail() {
        withAdt(ReconcileFixture.withDrift())
                .withPropertyValues(HUBS, MODELS, "dps-twin.reconcile.connection-strings[0]=" + CONNECTION_STRING)
                .run(context -> {
                    DpsTwinConfigurationException cause = rootCause(context.getStartupFailure());
                    assertThat(cause.property()).isEqualTo("dps-twin.reconcile.connection-strings");
                    assertThat(cause.problem()).contains("dps-twin.reconcile.hub-host-names");
                    assertThat(fullMessage(context.getStartupFailure())).doesNotContain(KEY);
                });
    }

    @Test
    void connectionStringsGiveAnInventoryAndNeverShowUpInToStringOrLogs(CapturedOutput output) {
        withAdt(ReconcileFixture.withDrift())
                .withPropertyValues(MODELS, "dps-twin.reconcile.connection-strings[0]=" + CONNECTION_STRING)
                .run(context -> {
                    assertThat(context).hasNotFailed();
                    IotHubDeviceInventory inventory = context.getBean(IotHubDeviceInventory.class);
                    assertThat(inventory.hubHostNames()).containsExactly("hub-c.azure-devices.net");
                    assertThat(context.getBean(io.dpstwin.core.config.CoreOptions.class).values()
                            .get(io.dpstwin.core.config.DpsTwinSettings.RECONCILE_CONNECTION_STRINGS))
                            .containsExactly(CONNECTION_STRING);
                    assertThat(inventory.toString()).doesNotContain(KEY);
                    assertThat(context.getBean(Reconciler.class).options().toString()).doesNotContain(KEY);
                    assertThat(output).contains("reconciler over hubs [hub-c.azure-devices.net]")
                            .doesNotContain(KEY);
                });
    }

    @Test
    void anInvalidConnectionStringFailsWithoutEverBeingQuoted() {
        String broken = "SharedAccessKey=" + KEY + ";NotAHub";
        withAdt(ReconcileFixture.withDrift())
                .withPropertyValues(MODELS, "dps-twin.reconcile.connection-strings[0]=" + CONNECTION_STRING,
                        "dps-twin.reconcile.connection-strings[1]=" + broken)
                .run(context -> {
                    DpsTwinConfigurationException cause = startFailure(context, "dps-twin.reconcile.connection-strings");
                    assertThat(cause.problem()).contains("#2");
                    FailureAnalysis analysis = new DpsTwinConfigurationFailureAnalyzer()
                            .analyze(context.getStartupFailure());
                    assertThat(analysis.getDescription() + analysis.getAction() + fullMessage(
                            context.getStartupFailure())).doesNotContain(KEY).doesNotContain(broken)
                            .doesNotContain(CONNECTION_STRING);
                });
    }

    @Test
    void theScheduledRunIsRegisteredOnlyWithACron() {
        ApplicationContextRunner configured = withAdt(ReconcileFixture.withDrift()).withPropertyValues(HUBS, MODELS);
        configured.run(context -> assertThat(context).doesNotHaveBean(ScheduledReconcile.class));
        configured.withPropertyValues("dps-twin.reconcile.schedule.cron=")
                .run(context -> assertThat(context).doesNotHaveBean(ScheduledReconcile.class));
        configured.withPropertyValues("dps-twin.reconcile.schedule.cron=-")
                .run(context -> assertThat(context).doesNotHaveBean(ScheduledReconcile.class));
        AtomicReference<ScheduledReconcile> started = new AtomicReference<>();
        configured.withPropertyValues("dps-twin.reconcile.schedule.cron=0 0 3 * * *",
                        "dps-twin.reconcile.schedule.zone=UTC")
                .run(context -> {
                    ScheduledReconcile schedule = context.getBean(ScheduledReconcile.class);
                    started.set(schedule);
                    assertThat(schedule.isRunning()).as("started with the context").isTrue();
                    assertThat(schedule.applies()).as("dry runs by default").isFalse();
                    assertThat(schedule.zone()).isEqualTo(java.time.ZoneId.of("UTC"));
                    assertThat(schedule.nextRun()).hasValueSatisfying(next -> {
                        ZonedDateTime at = next.atZone(ZoneOffset.UTC);
                        assertThat(at.getHour()).isEqualTo(3);
                        assertThat(at.getMinute()).isZero();
                    });
                });
        assertThat(started.get().isRunning()).as("stopped with the context").isFalse();
    }

    @Test
    void anInvalidCronOrZoneFailsNamingTheProperty() {
        ApplicationContextRunner configured = withAdt(ReconcileFixture.withDrift()).withPropertyValues(HUBS, MODELS);
        configured.withPropertyValues("dps-twin.reconcile.schedule.cron=every hour")
                .run(context -> assertThat(rootCause(context.getStartupFailure()).property())
                        .isEqualTo("dps-twin.reconcile.schedule.cron"));
        configured.withPropertyValues("dps-twin.reconcile.schedule.cron=0 0 3 * * *",
                        "dps-twin.reconcile.schedule.zone=Mars/Olympus")
                .run(context -> assertThat(rootCause(context.getStartupFailure()).property())
                        .isEqualTo("dps-twin.reconcile.schedule.zone"));
    }

    @Test
    void theEndpointIsPresentOnlyWhenExposedAndThereIsAReconciler() {
        ApplicationContextRunner configured = withAdt(ReconcileFixture.withDrift()).withPropertyValues(HUBS, MODELS);
        configured.run(context -> assertThat(context).hasSingleBean(ReconcileRunner.class)
                .doesNotHaveBean(ReconcileEndpoint.class));
        configured.withPropertyValues(EXPOSED)
                .run(context -> assertThat(context).hasSingleBean(ReconcileEndpoint.class));
        configured.withPropertyValues(EXPOSED, "management.endpoint.dpstwinreconcile.access=NONE")
                .run(context -> assertThat(context).doesNotHaveBean(ReconcileEndpoint.class));
        configured.withPropertyValues(EXPOSED).withClassLoader(new FilteredClassLoader(WebEndpoint.class))
                .run(context -> assertThat(context).hasNotFailed().hasSingleBean(ReconcileRunner.class)
                        .doesNotHaveBean(ReconcileEndpoint.class));
    }

    @Test
    void theEndpointRefusesToApplyUnlessAllowed() {
        ReconcileFixture fixture = ReconcileFixture.withDrift();
        ApplicationContextRunner configured = withAdt(fixture)
                .withBean(InMemoryDeviceRegistry.class, () -> fixture.hubs)
                .withPropertyValues(MODELS, EXPOSED);
        configured.run(context -> {
            WebEndpointResponse<Map<String, Object>> refused = context.getBean(ReconcileEndpoint.class).start(true);
            assertThat(refused.getStatus()).isEqualTo(403);
            assertThat(refused.getBody()).extractingByKey("error").asInstanceOf(
                    org.assertj.core.api.InstanceOfAssertFactories.MAP).containsEntry("code", "ApplyNotAllowed");
            assertThat(context.getBean(ReconcileRunner.class).isRunning()).as("nothing ran").isFalse();
            assertThat(fixture.twinExists(ReconcileFixture.ORPHAN)).isTrue();
            assertThat(fixture.twinExists(ReconcileFixture.MISSING)).isFalse();
        });
        configured.withPropertyValues("dps-twin.reconcile.endpoint.allow-apply=true").run(context -> {
            WebEndpointResponse<Map<String, Object>> applied = context.getBean(ReconcileEndpoint.class).start(true);
            assertThat(applied.getStatus()).isEqualTo(202);
            assertThat(applied.getBody()).containsEntry("dryRun", false).containsEntry("started", true);
            ReconcileReport report = awaitReport(context.getBean(ReconcileRunner.class));
            assertThat(report.dryRun()).isFalse();
            assertThat(fixture.twinExists(ReconcileFixture.ORPHAN)).isFalse();
            assertThat(fixture.twinExists(ReconcileFixture.MISSING)).isTrue();
        });
    }

    @Test
    void theEndpointsDryRunStartsInTheBackgroundAndItsReportIsReadBackWithoutAnotherRun() {
        ReconcileFixture fixture = ReconcileFixture.withDrift();
        withAdt(fixture)
                .withBean(InMemoryDeviceRegistry.class, () -> fixture.hubs)
                .withPropertyValues(MODELS, EXPOSED, "dps-twin.reconcile.endpoint.allow-apply=true")
                .run(context -> {
                    ReconcileEndpoint endpoint = context.getBean(ReconcileEndpoint.class);
                    assertThat(endpoint.status().getBody()).containsEntry("running", false)
                            .containsEntry("lastReport", null).containsEntry("progress", null);
                    WebEndpointResponse<Map<String, Object>> answer = endpoint.start(null);
                    assertThat(answer.getStatus()).isEqualTo(202);
                    assertThat(answer.getBody()).containsEntry("dryRun", true);
                    ReconcileReport report = awaitReport(context.getBean(ReconcileRunner.class));
                    Map<String, Object> status = endpoint.status().getBody();
                    assertThat(status).containsEntry("running", false);
                    assertThat(status.get("lastReport")).asInstanceOf(
                            org.assertj.core.api.InstanceOfAssertFactories.MAP)
                            .containsEntry("runId", report.runId()).containsEntry("dryRun", true)
                            .containsEntry("status", "ok").containsEntry("hubs", List.of(ReconcileFixture.HUB));
                    assertThat(fixture.twinExists(ReconcileFixture.ORPHAN)).isTrue();
                    assertThat(fixture.twinExists(ReconcileFixture.MISSING)).isFalse();
                });
    }

    private static ReconcileReport awaitReport(ReconcileRunner runner) {
        org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(30))
                .until(() -> !runner.isRunning() && runner.lastReport().isPresent());
        return runner.lastReport().orElseThrow();
    }
}
