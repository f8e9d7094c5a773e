package io.dpstwin.spring.reconcile;

import io.dpstwin.core.testing.BlockingInventory;
import io.dpstwin.core.DpsTwinMeters;
import io.dpstwin.core.reconcile.ReconcileReport;
import io.dpstwin.core.reconcile.ReconcileStatus;
import io.dpstwin.core.twins.DigitalTwinsGateway;
import io.dpstwin.spring.autoconfigure.DpsTwinAutoConfiguration;
import io.dpstwin.spring.autoconfigure.DpsTwinReconcileAutoConfiguration;
import io.dpstwin.spring.autoconfigure.DpsTwinReconcileEndpointAutoConfiguration;
import io.dpstwin.testkit.registry.InMemoryDeviceRegistry;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.actuate.endpoint.web.WebEndpointResponse;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.logging.LogLevel;
import org.springframework.boot.logging.LoggingSystem;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import static io.dpstwin.spring.reconcile.ReconcileFixture.MISSING;
import static io.dpstwin.spring.reconcile.ReconcileFixture.ORPHAN;
import static io.dpstwin.spring.reconcile.ReconcileFixture.THERMOSTAT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The scheduled reconcile run on an in-memory hub and an in-memory ADT: the registered task is triggered directly,
 * except in one test that lets a every-second cron fire once.
 */
@ExtendWith(OutputCaptureExtension.class)
class ScheduledReconcileTest {

    private static final String LOGGER = "io.dpstwin.spring.reconcile";

    private final ReconcileFixture fixture = ReconcileFixture.withDrift();

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(DpsTwinAutoConfiguration.class,
                    DpsTwinReconcileAutoConfiguration.class, DpsTwinReconcileEndpointAutoConfiguration.class))
            .withBean(DigitalTwinsGateway.class, () -> fixture.adt)
            .withBean(InMemoryDeviceRegistry.class, () -> fixture.hubs)
            .withPropertyValues("dps-twin.reconcile.device-models=" + THERMOSTAT,
                    "dps-twin.reconcile.schedule.cron=0 0 3 * * *");

    @AfterEach
    void resetLogLevel() {
        logLevel(null);
    }

    @Test
    void aScheduledRunRepairsWithApplyAndLogsItsSummaryAndTheReportAtDebug(CapturedOutput output) {
        logLevel(LogLevel.DEBUG);
        runner.withPropertyValues("dps-twin.reconcile.apply=true").run(context -> {
            Optional<ReconcileReport> report = context.getBean(ScheduledReconcile.class).runOnce();

            assertThat(report).hasValueSatisfying(done -> {
                assertThat(done.dryRun()).isFalse();
                assertThat(done.status()).isEqualTo(ReconcileStatus.OK);
                assertThat(done.counts().outcomes()).containsEntry("retired", 1).containsEntry("created", 1);
            });
            assertThat(fixture.twinExists(ORPHAN)).isFalse();
            assertThat(fixture.twinExists(MISSING)).isTrue();
            assertThat(output).contains("Scheduled dps-twin reconcile (apply) ok: 2 devices, 2 twins, "
                            + "1 orphaned twins, 1 missing twins")
                    .contains("Scheduled dps-twin reconcile report: {\"runId\"")
                    .contains("\"twinId\":\"" + ORPHAN + "\"");
        });
    }

    @Test
    void aScheduledRunIsADryRunByDefaultAndLogsNoReportAtInfo(CapturedOutput output) {
        logLevel(LogLevel.INFO);
        runner.run(context -> {
            Optional<ReconcileReport> report = context.getBean(ScheduledReconcile.class).runOnce();

            assertThat(report).hasValueSatisfying(done -> {
                assertThat(done.dryRun()).isTrue();
                assertThat(done.counts().orphans()).isEqualTo(1);
                assertThat(done.counts().missing()).isEqualTo(1);
                assertThat(done.applied()).isEmpty();
            });
            assertThat(fixture.twinExists(ORPHAN)).as("a dry run changes nothing").isTrue();
            assertThat(fixture.twinExists(MISSING)).isFalse();
            assertThat(output).contains("Scheduled dps-twin reconcile (dry run) ok:")
                    .doesNotContain("Scheduled dps-twin reconcile report:");
        });
    }

    @Test
    void aRunDueWhileAnotherIsInProgressIsSkippedAndTheEndpointAnswers409(CapturedOutput output) throws Exception {
        BlockingInventory held = new BlockingInventory(fixture.hubs);
        new ApplicationContextRunner()
                .withConfiguration(AutoConfigurations.of(DpsTwinAutoConfiguration.class,
                        DpsTwinReconcileAutoConfiguration.class, DpsTwinReconcileEndpointAutoConfiguration.class))
                .withBean(DigitalTwinsGateway.class, () -> fixture.adt)
                .withBean(BlockingInventory.class, () -> held)
                .withPropertyValues("dps-twin.reconcile.device-models=" + THERMOSTAT,
                        "dps-twin.reconcile.schedule.cron=0 0 3 * * *",
                        "management.endpoints.web.exposure.include=dpstwinreconcile")
                .run(context -> {
                    ScheduledReconcile schedule = context.getBean(ScheduledReconcile.class);
                    CompletableFuture<Optional<ReconcileReport>> first = CompletableFuture.supplyAsync(
                            schedule::runOnce);
                    assertThat(held.listing.await(10, TimeUnit.SECONDS)).as("the first run is listing").isTrue();

                    assertThat(schedule.runOnce()).as("the second run is skipped").isEmpty();
                    WebEndpointResponse<Map<String, Object>> busy = context.getBean(ReconcileEndpoint.class).start(null);
                    assertThat(busy.getStatus()).isEqualTo(409);
                    assertThat(busy.getBody().toString()).contains("ReconcileInProgress");
                    assertThat(output).contains("skipped: another run of this instance is still in progress");

                    held.release.countDown();
                    assertThat(first.get(10, TimeUnit.SECONDS)).hasValueSatisfying(
                            done -> assertThat(done.status()).isEqualTo(ReconcileStatus.OK));
                    assertThat(context.getBean(ReconcileRunner.class).isRunning()).isFalse();
                    assertThat(schedule.runOnce()).as("idle again").isPresent();
                });
    }

    @Test
    void theCronFiresOnItsOwnAndTheScheduleStopsWithTheContext() {
        SimpleMeterRegistry meters = new SimpleMeterRegistry();
        AtomicReference<ScheduledReconcile> schedule = new AtomicReference<>();
        runner.withBean(MeterRegistry.class, () -> meters)
                .withPropertyValues("dps-twin.reconcile.schedule.cron=* * * * * *")
                .run(context -> {
                    schedule.set(context.getBean(ScheduledReconcile.class));
                    await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(50))
                            .until(() -> meters.find(DpsTwinMeters.RECONCILE_RUNS).tag("mode", "dry_run").counters()
                                    .stream().mapToDouble(c -> c.count()).sum() >= 1);
                });
        assertThat(schedule.get().isRunning()).isFalse();
    }

    private static void logLevel(LogLevel level) {
        LoggingSystem.get(ScheduledReconcileTest.class.getClassLoader()).setLogLevel(LOGGER, level);
    }
}
