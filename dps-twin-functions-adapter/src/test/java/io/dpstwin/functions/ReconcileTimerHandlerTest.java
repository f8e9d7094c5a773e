package io.dpstwin.functions;

import io.dpstwin.core.testing.BlockingInventory;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.dpstwin.core.DpsTwin;
import io.dpstwin.core.reconcile.OrphanTwin;
import io.dpstwin.core.reconcile.ReconcileOptions;
import io.dpstwin.core.reconcile.ReconcileReport;
import io.dpstwin.core.reconcile.ReconcileStatus;
import io.dpstwin.core.twins.DigitalTwin;
import io.dpstwin.functions.testing.RecordingExecutionContext;
import io.dpstwin.testkit.adt.AdtEngine;
import io.dpstwin.testkit.adt.InMemoryDigitalTwins;
import io.dpstwin.testkit.emulator.ManualClock;
import io.dpstwin.testkit.registry.InMemoryDeviceRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.logging.Level;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/**
 * The reconcile timer's translation against the testkit's in-memory ADT engine and device registry: dry run or
 * apply, what is logged at which level, when it throws, and that the app runs fine without a reconciler.
 */
class ReconcileTimerHandlerTest {

    private static final String HUB = "hub-a.azure-devices.net";
    private static final String THERMOSTAT = "dtmi:com:example:Thermostat;1";
    private static final String THERMOSTAT_DTDL = "{\"@context\":\"dtmi:dtdl:context;3\",\"@id\":\"" + THERMOSTAT
            + "\",\"@type\":\"Interface\",\"contents\":[{\"@type\":\"Property\",\"name\":\"temperature\","
            + "\"schema\":\"double\"}]}";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final ManualClock clock = new ManualClock(Instant.parse("2026-11-26T10:00:00Z"));
    private final AdtEngine engine = AdtEngine.builder().clock(clock).build();
    private final InMemoryDigitalTwins adt = new InMemoryDigitalTwins(engine);
    private final InMemoryDeviceRegistry hubs = InMemoryDeviceRegistry.builder().hubs(HUB).clock(clock).build();
    private final List<DpsTwin> built = new ArrayList<>();

    @BeforeEach
    void threeDevicesTwoTwinsAndAnOrphan() {
        adt.uploadModels(THERMOSTAT_DTDL);
        for (String id : List.of("dev-1", "dev-2", "dev-3")) {
            hubs.add(HUB, id, Map.of("dtId", id, "dtmi", THERMOSTAT), null, clock.instant().minus(Duration.ofDays(1)));
        }
        for (String id : List.of("dev-1", "dev-2", "gone-1")) {
            adt.createOrReplaceTwin(DigitalTwin.of(id, THERMOSTAT));
        }
        clock.advance(Duration.ofHours(1));
    }

    @AfterEach
    void closeBuiltInstances() {
        built.forEach(DpsTwin::close);
    }

    private DpsTwin dpsTwin(ReconcileOptions.Builder options) {
        DpsTwin dpsTwin = DpsTwin.builder()
                .gateway(adt)
                .noRateLimits()
                .deviceInventory(hubs)
                .reconcileOptions(options.clock(clock).maxRetirementShare(1.0).build())
                .build();
        built.add(dpsTwin);
        return dpsTwin;
    }

    private DpsTwin dpsTwin() {
        return dpsTwin(ReconcileOptions.builder().deviceModels(THERMOSTAT));
    }

    @Test
    void aDryRunReportsTheDriftLogsTheReportAndChangesNothing() throws Exception {
        ReconcileTimerHandler handler = new ReconcileTimerHandler(this::dpsTwin, () -> false);
        RecordingExecutionContext context = new RecordingExecutionContext("DpsTwinReconcileFunc");

        Optional<ReconcileReport> report = handler.handle("{\"IsPastDue\":false}", context);

        assertThat(report).hasValueSatisfying(r -> {
            assertThat(r.dryRun()).isTrue();
            assertThat(r.status()).isEqualTo(ReconcileStatus.OK);
            assertThat(r.counts().orphans()).isEqualTo(1);
            assertThat(r.counts().missing()).isEqualTo(1);
        });
        assertThat(engine.twinIds()).containsExactlyInAnyOrder("dev-1", "dev-2", "gone-1");
        assertThat(context.messages(Level.INFO)).hasSize(2);
        assertThat(context.messages(Level.INFO).get(0))
                .startsWith("Reconcile timer: run " + report.get().runId() + " (dry run) ok: 3 devices, 3 twins, "
                        + "1 orphans, 1 missing, 0 unresolved, 0 skipped as recent, 2 planned, 0 applied, 0 failed")
                .contains("set DPSTWIN_RECONCILE_APPLY=true to repair");
        String reportLine = context.messages(Level.INFO).get(1);
        assertThat(reportLine).startsWith("Reconcile report " + report.get().runId() + ": {");
        JsonNode json = JSON.readTree(reportLine.substring(reportLine.indexOf('{')));
        assertThat(json.get("dryRun").asBoolean()).isTrue();
        assertThat(json.at("/orphans/0/twinId").asText()).isEqualTo("gone-1");
        assertThat(json.at("/missing/0/deviceId").asText()).isEqualTo("dev-3");
        assertThat(context.messages(Level.WARNING)).isEmpty();
    }

    @Test
    void withApplyTheDriftIsRepairedAndTheNextRunFindsNone() {
        DpsTwin instance = dpsTwin();
        ReconcileTimerHandler sameInstance = new ReconcileTimerHandler(() -> instance, () -> true);
        RecordingExecutionContext context = new RecordingExecutionContext("DpsTwinReconcileFunc");

        ReconcileReport first = sameInstance.handle(null, context).orElseThrow();
        clock.advance(Duration.ofHours(1));
        ReconcileReport second = sameInstance.handle(null, context).orElseThrow();

        assertThat(first.dryRun()).isFalse();
        assertThat(first.counts().applied()).isEqualTo(2);
        assertThat(engine.twinIds()).containsExactlyInAnyOrder("dev-1", "dev-2", "dev-3");
        assertThat(context.messages(Level.INFO).get(0)).contains("(apply) ok", "2 applied, 0 failed")
                .doesNotContain("to repair");
        assertThat(second.counts().orphans()).isZero();
        assertThat(second.counts().missing()).isZero();
        assertThat(second.counts().planned()).isZero();
    }

    @Test
    void aRunWhoseRetirementsAreWithheldIsAWarningAndDoesNotFail() {
        ReconcileTimerHandler handler = new ReconcileTimerHandler(
                () -> dpsTwin(ReconcileOptions.builder().deviceModels(THERMOSTAT).maxRetirements(0)), () -> true);
        RecordingExecutionContext context = new RecordingExecutionContext("DpsTwinReconcileFunc");

        ReconcileReport report = handler.handle(null, context).orElseThrow();

        assertThat(report.status()).isEqualTo(ReconcileStatus.PARTIAL);
        assertThat(engine.twinIds()).as("the orphan is kept, the missing twin is created")
                .containsExactlyInAnyOrder("dev-1", "dev-2", "dev-3", "gone-1");
        assertThat(context.messages(Level.WARNING)).hasSize(2);
        assertThat(context.messages(Level.WARNING).get(0)).contains("(apply) partial", "warnings: ");
        assertThat(context.messages(Level.INFO)).isEmpty();
    }

    @Test
    void aRunThatCannotCompareFailsTheInvocationAndChangesNothing() {
        hubs.failQueries(HUB, 1, 401);
        ReconcileTimerHandler handler = new ReconcileTimerHandler(this::dpsTwin, () -> true);
        RecordingExecutionContext context = new RecordingExecutionContext("DpsTwinReconcileFunc");

        ReconcileRunFailedException e = catchThrowableOfType(ReconcileRunFailedException.class,
                () -> handler.handle(null, context));

        assertThat(e.report().status()).isEqualTo(ReconcileStatus.FAILED);
        assertThat(e.getMessage()).startsWith("reconcile run " + e.report().runId() + " failed")
                .contains("401");
        assertThat(engine.twinIds()).containsExactlyInAnyOrder("dev-1", "dev-2", "gone-1");
        assertThat(context.messages(Level.SEVERE)).hasSize(2);
        assertThat(context.messages(Level.SEVERE).get(0)).contains("(apply) failed, nothing was compared or changed");
    }

    @Test
    void withoutAReconcilerTheTimerWarnsNamingTheSettingsAndReturns() {
        ReconcileTimerHandler handler = new ReconcileTimerHandler(UnreachableAdt::dpsTwin, () -> true);
        RecordingExecutionContext context = new RecordingExecutionContext("DpsTwinReconcileFunc");

        assertThat(handler.handle(null, context)).isEmpty();

        assertThat(context.messages(Level.WARNING)).singleElement().asString()
                .contains("the reconciler is not configured", "DPSTWIN_RECONCILE_HUBHOSTNAMES",
                        "DPSTWIN_RECONCILE_CONNECTIONSTRINGS");
        assertThat(context.messages(Level.SEVERE)).isEmpty();
    }

    @Test
    void aSettingsErrorIsLoggedNamingTheSettingAndRethrown() {
        LazyDpsTwin holder = new LazyDpsTwin(FunctionsDpsTwinFactory.builder()
                .settings(Map.of("DPSTWIN_RECONCILE_APPLY", "maybe"))
                .credential(TestCredentials.fixed())
                .build());
        RecordingExecutionContext context = new RecordingExecutionContext("DpsTwinReconcileFunc");

        assertThatThrownBy(() -> new ReconcileTimerHandler(holder).handle(null, context))
                .isInstanceOf(FunctionsSettingsException.class);

        assertThat(context.messages(Level.SEVERE)).singleElement().asString()
                .contains("no run, dps-twin is not available", "ADT_SERVICE_URL is missing",
                        "DPSTWIN_RECONCILE_APPLY is invalid");
    }

    @Test
    void theModeFollowsTheHoldersFactoryAndAnInstalledInstanceIsADryRun() {
        LazyDpsTwin holder = new LazyDpsTwin(UnreachableAdt.factory("DPSTWIN_RECONCILE_APPLY", "true").build());
        assertThat(holder.applyReconcile()).isTrue();

        holder.install(UnreachableAdt.factory().build());
        assertThat(holder.applyReconcile()).isFalse();

        DpsTwin instance = UnreachableAdt.dpsTwin();
        built.add(instance);
        holder.install(UnreachableAdt.factory("DPSTWIN_RECONCILE_APPLY", "true").build());
        holder.install(instance);
        assertThat(holder.applyReconcile()).isFalse();

        holder.reset();
        assertThat(holder.applyReconcile()).isTrue();
        assertThat(new LazyDpsTwin(UnreachableAdt::dpsTwin).applyReconcile()).as("a factory of your own").isFalse();
    }

    @Test
    void aPastDueTickIsNoted() {
        RecordingExecutionContext context = new RecordingExecutionContext("DpsTwinReconcileFunc");

        new ReconcileTimerHandler(this::dpsTwin, () -> false).handle("{\"IsPastDue\":true,\"ScheduleStatus\":null}",
                context);
        new ReconcileTimerHandler(this::dpsTwin, () -> false).handle("not json", context);

        assertThat(context.messages(Level.INFO).get(0)).startsWith("Reconcile timer (past due): run ");
        assertThat(context.messages(Level.INFO).get(2)).startsWith("Reconcile timer: run ");
    }

    @Test
    void aLargeReportIsCutToFitOneLogLineWithCompleteCounts() throws Exception {
        List<OrphanTwin> orphans = new ArrayList<>();
        for (int i = 0; i < 5000; i++) {
            orphans.add(new OrphanTwin(String.format("orphan-%05d", i), THERMOSTAT, "2026-11-26T10:00:00Z"));
        }
        ReconcileReport report = new ReconcileReport("run-1", true, ReconcileStatus.OK, "2026-11-26T10:00:00Z",
                "2026-11-26T10:01:00Z", 60_000, List.of(HUB), List.of(THERMOSTAT), 120,
                new ReconcileReport.Counts(5000, 5000, 0, 5000, 0, 0, 0, 0, 0, 0, Map.of()), orphans, List.of(),
                List.of(), List.of(), List.of(), List.of(), List.of(), List.of(), false, null);
        assertThat(report.toJson().length()).isGreaterThan(ReconcileTimerHandler.MAX_REPORT_CHARS);

        String bounded = ReconcileTimerHandler.boundedJson(report);

        assertThat(bounded.length()).isLessThanOrEqualTo(ReconcileTimerHandler.MAX_REPORT_CHARS);
        JsonNode json = JSON.readTree(bounded);
        assertThat(json.get("truncated").asBoolean()).isTrue();
        assertThat(json.at("/counts/orphans").asInt()).isEqualTo(5000);
        assertThat(json.get("orphans").size()).isPositive().isLessThan(5000);
        assertThat(json.at("/orphans/0/twinId").asText()).isEqualTo("orphan-00000");

        ReconcileReport small = new ReconcileReport("run-2", true, ReconcileStatus.OK, "2026-11-26T10:00:00Z",
                "2026-11-26T10:01:00Z", 1, List.of(HUB), List.of(THERMOSTAT), 120, report.counts(),
                orphans.subList(0, 3), List.of(), List.of(), List.of(), List.of(), List.of(), List.of(), List.of(),
                false, null);
        assertThat(ReconcileTimerHandler.boundedJson(small)).isEqualTo(small.toJson());
    }

    @Test
    void aLongRunWritesItsProgressToTheInvocationLogWhileItLasts() {
        BlockingInventory heldAfterOneDevice = new BlockingInventory(hubs, 1);
        DpsTwin instance = DpsTwin.builder().gateway(adt).noRateLimits().deviceInventory(heldAfterOneDevice)
                .reconcileOptions(ReconcileOptions.builder().deviceModels(THERMOSTAT).clock(clock)
                        .maxRetirementShare(1.0).build())
                .build();
        built.add(instance);
        RecordingExecutionContext context = new RecordingExecutionContext("DpsTwinReconcileFunc");
        ReconcileTimerHandler handler = new ReconcileTimerHandler(() -> instance, () -> false, null,
                Duration.ofMillis(50));
        Thread releaser = new Thread(() -> {
            long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(10);
            while (System.nanoTime() < deadline
                    && context.messages().stream().noneMatch(m -> m.startsWith("Reconcile timer progress: ")
                            && m.contains("1 devices and "))) {
                Thread.onSpinWait();
            }
            heldAfterOneDevice.release.countDown();
        });
        releaser.start();

        Optional<ReconcileReport> report = handler.handle(null, context);

        assertThat(report).hasValueSatisfying(r -> assertThat(r.counts().devices()).isEqualTo(3));
        assertThat(context.messages(Level.INFO)).filteredOn(m -> m.startsWith("Reconcile timer progress: "))
                .allSatisfy(line -> assertThat(line).contains("run " + report.get().runId(), "(dry run)"))
                // while the hub is held after its first device (the twins are listed meanwhile, so how many are in
                // by then varies); lines written after the release may show more
                .anySatisfy(line -> assertThat(line).contains("(dry run) listing", "1 devices and ")
                        .containsPattern("and [0-3] twins listed"));
    }

    @Test
    void withALockHeldElsewhereTheTickIsSkippedAndNothingRuns() {
        io.dpstwin.core.reconcile.ReconcileLock elsewhere = new io.dpstwin.core.reconcile.ReconcileLock() {
            @Override
            public Optional<Held> tryAcquire() {
                return Optional.empty();
            }

            @Override
            public Optional<String> holder() {
                return Optional.of("spring-replica-1");
            }
        };
        RecordingExecutionContext context = new RecordingExecutionContext("DpsTwinReconcileFunc");
        ReconcileTimerHandler handler = new ReconcileTimerHandler(this::dpsTwin, () -> true, elsewhere,
                ReconcileTimerHandler.PROGRESS_LOG_INTERVAL);

        assertThat(handler.handle(null, context)).isEmpty();

        assertThat(context.messages(Level.INFO)).singleElement().asString()
                .contains("no run, another instance holds the reconcile lock (spring-replica-1)");
        assertThat(engine.twinIds()).as("nothing repaired").contains("gone-1").doesNotContain("dev-3");
    }

    @Test
    void aLockIsTakenForTheRunAndReleasedAfterIt() {
        io.dpstwin.core.reconcile.ReconcileLock lock = io.dpstwin.core.reconcile.ReconcileLock.local();
        RecordingExecutionContext context = new RecordingExecutionContext("DpsTwinReconcileFunc");
        ReconcileTimerHandler handler = new ReconcileTimerHandler(this::dpsTwin, () -> false, lock,
                ReconcileTimerHandler.PROGRESS_LOG_INTERVAL);

        assertThat(handler.handle(null, context)).isPresent();

        assertThat(lock.tryAcquire()).as("released after the run").isPresent();
    }
}
