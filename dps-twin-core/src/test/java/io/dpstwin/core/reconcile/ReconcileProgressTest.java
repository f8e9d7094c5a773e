package io.dpstwin.core.reconcile;

import io.dpstwin.core.testing.ReconcileTesting;
import io.dpstwin.core.testing.BlockingInventory;
import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.dpstwin.core.ManualClock;
import io.dpstwin.core.twins.DigitalTwin;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

class ReconcileProgressTest {

    static final String HUB = "hub-a.azure-devices.net";
    static final String THERMOSTAT = "dtmi:com:example:Thermostat;1";

    final ManualClock clock = new ManualClock(Instant.parse("2026-11-26T10:00:00Z"));
    final QueryingFakeGateway adt = new QueryingFakeGateway(clock, 10);
    final FakeInventory hubs = new FakeInventory(10, HUB);
    final SimpleMeterRegistry meters = new SimpleMeterRegistry();
    final List<ReconcileProgress> seen = Collections.synchronizedList(new ArrayList<>());
    final List<ReconcileReport> finished = Collections.synchronizedList(new ArrayList<>());
    final Logger progressLog = (Logger) LoggerFactory.getLogger(Reconciler.class.getName() + ".progress");
    final ListAppender<ILoggingEvent> logLines = new ListAppender<>();

    ReconcileListener recording = new ReconcileListener() {
        @Override
        public void onProgress(ReconcileProgress progress) {
            seen.add(progress);
        }

        @Override
        public void onFinished(ReconcileReport report) {
            finished.add(report);
        }
    };

    @AfterEach
    void detach() {
        progressLog.detachAppender(logLines);
    }

    /** 30 devices, 25 with a twin, 3 orphaned twins: 5 creations and 3 retirements. */
    void drift() {
        Instant old = clock.instant().minus(Duration.ofDays(2));
        for (int i = 0; i < 30; i++) {
            String id = String.format("dev-%02d", i);
            hubs.add(new DeviceRecord(HUB, id, null, THERMOSTAT, null, old));
            if (i < 25) {
                adt.createOrReplaceTwin(DigitalTwin.of(id, THERMOSTAT));
            }
        }
        for (int i = 0; i < 3; i++) {
            adt.createOrReplaceTwin(DigitalTwin.of("gone-" + i, THERMOSTAT));
        }
        clock.advance(Duration.ofHours(1));
    }

    Reconciler.Builder builder() {
        return Reconciler.builder(adt, hubs)
                .options(ReconcileTesting.unthrottled(THERMOSTAT, clock).build())
                .meterRegistry(meters);
    }

    @Test
    void aListenerSeesEveryPhaseInOrderAndTheFinalCountsOfTheRun() {
        drift();
        Reconciler reconciler = builder().listener(recording).build();

        ReconcileReport report = reconciler.run(false);

        assertThat(seen).extracting(ReconcileProgress::phase).containsSubsequence(
                ReconcileProgress.Phase.LISTING, ReconcileProgress.Phase.COMPARING, ReconcileProgress.Phase.APPLYING,
                ReconcileProgress.Phase.DONE);
        assertThat(seen).extracting(ReconcileProgress::runId).containsOnly(report.runId());
        ReconcileProgress last = seen.get(seen.size() - 1);
        assertThat(last.phase()).isEqualTo(ReconcileProgress.Phase.DONE);
        assertThat(last.devicesListed()).isEqualTo(30);
        assertThat(last.twinsListed()).isEqualTo(28);
        assertThat(last.actionsPlanned()).isEqualTo(8);
        assertThat(last.actionsDone()).isEqualTo(8);
        assertThat(finished).containsExactly(report);
        assertThat(reconciler.progress()).contains(last);
    }

    @Test
    void aDryRunNeverEntersTheApplyingPhaseAndDoesNoAction() {
        drift();
        Reconciler reconciler = builder().listener(recording).build();

        reconciler.run(true);

        assertThat(seen).extracting(ReconcileProgress::phase).doesNotContain(ReconcileProgress.Phase.APPLYING);
        assertThat(reconciler.progress()).hasValueSatisfying(progress -> {
            assertThat(progress.dryRun()).isTrue();
            assertThat(progress.actionsPlanned()).isEqualTo(8);
            assertThat(progress.actionsDone()).isZero();
        });
    }

    @Test
    void progressIsEmptyBeforeTheFirstRunAndGaugesFollowTheLastRun() {
        drift();
        Reconciler reconciler = builder().listener(recording).build();
        assertThat(reconciler.progress()).isEmpty();
        assertThat(meters.get(io.dpstwin.core.DpsTwinMeters.RECONCILE_PROGRESS).tag("kind", "devices_listed").gauge().value()).isZero();

        reconciler.run(false);

        assertThat(meters.get(io.dpstwin.core.DpsTwinMeters.RECONCILE_PROGRESS).tag("kind", "devices_listed").gauge().value()).isEqualTo(30);
        assertThat(meters.get(io.dpstwin.core.DpsTwinMeters.RECONCILE_PROGRESS).tag("kind", "twins_listed").gauge().value()).isEqualTo(28);
        assertThat(meters.get(io.dpstwin.core.DpsTwinMeters.RECONCILE_PROGRESS).tag("kind", "actions_planned").gauge().value()).isEqualTo(8);
        assertThat(meters.get(io.dpstwin.core.DpsTwinMeters.RECONCILE_PROGRESS).tag("kind", "actions_done").gauge().value()).isEqualTo(8);
    }

    @Test
    void aRebuiltReconcilersGaugesReplaceTheEarlierOnesWithoutAWarning() {
        Logger micrometer = (Logger) LoggerFactory.getLogger("io.micrometer");
        ListAppender<ILoggingEvent> micrometerLines = new ListAppender<>();
        micrometerLines.start();
        micrometer.addAppender(micrometerLines);
        try {
            drift();
            builder().build().run(false);

            Reconciler rebuilt = builder().build();

            assertThat(rebuilt.progress()).isEmpty();
            assertThat(meters.get(io.dpstwin.core.DpsTwinMeters.RECONCILE_PROGRESS).tag("kind", "devices_listed")
                    .gauge().value()).as("the rebuilt reconciler's progress, not the first one's").isZero();
            assertThat(meters.get(io.dpstwin.core.DpsTwinMeters.RECONCILE_DRIFT).tag("kind", "missing").gauge()
                    .value()).isZero();
            assertThat(micrometerLines.list).extracting(ILoggingEvent::getFormattedMessage)
                    .noneMatch(message -> message.contains("already registered"));
        } finally {
            micrometer.detachAppender(micrometerLines);
        }
    }

    @Test
    void aRunInProgressShowsItsProgressWhileItIsBlocked() throws Exception {
        drift();
        BlockingInventory slow = new BlockingInventory(hubs, 12);
        Reconciler reconciler = Reconciler.builder(adt, slow)
                .options(ReconcileTesting.unthrottled(THERMOSTAT, clock).build())
                .listener(recording)
                .build();
        Thread run = new Thread(() -> reconciler.run(true));
        run.start();
        try {
            assertThat(slow.listing.await(10, TimeUnit.SECONDS)).isTrue();
            assertThat(reconciler.progress()).hasValueSatisfying(progress -> {
                assertThat(progress.phase()).isEqualTo(ReconcileProgress.Phase.LISTING);
                // the twins are listed while the hubs are, so only the devices' count is fixed here
                assertThat(progress.devicesListed()).isEqualTo(12);
            });
        } finally {
            slow.release.countDown();
            run.join(10_000);
        }
        assertThat(reconciler.progress()).hasValueSatisfying(progress ->
                assertThat(progress.phase()).isEqualTo(ReconcileProgress.Phase.DONE));
    }

    @Test
    void theLoggingListenerWritesNothingForAShortRunAndOneLinePerIntervalForALongOne() {
        logLines.start();
        progressLog.addAppender(logLines);
        progressLog.setLevel(Level.INFO);
        ReconcileListener logging = ReconcileListener.logging(Duration.ofSeconds(30), clock);
        Instant start = clock.instant();

        logging.onProgress(new ReconcileProgress("run-1", true, ReconcileProgress.Phase.LISTING, start, 0, 0, 0, 0, 0));
        clock.advance(Duration.ofSeconds(10));
        logging.onProgress(progress("run-1", start, ReconcileProgress.Phase.LISTING, 5_000));
        assertThat(logLines.list).isEmpty();

        clock.advance(Duration.ofSeconds(25));
        logging.onProgress(progress("run-1", start, ReconcileProgress.Phase.LISTING, 17_500));
        clock.advance(Duration.ofSeconds(5));
        logging.onProgress(progress("run-1", start, ReconcileProgress.Phase.LISTING, 20_000));
        assertThat(logLines.list).hasSize(1);
        assertThat(logLines.list.get(0).getFormattedMessage())
                .contains("run-1", "listing", "17500 devices", "500.0 items/s");

        clock.advance(Duration.ofSeconds(1));
        logging.onProgress(progress("run-1", start, ReconcileProgress.Phase.COMPARING, 20_000));
        assertThat(logLines.list).hasSize(2);
        logging.onProgress(progress("run-1", start, ReconcileProgress.Phase.DONE, 20_000));
        assertThat(logLines.list).hasSize(2);
    }

    private ReconcileProgress progress(String runId, Instant start, ReconcileProgress.Phase phase, long devices) {
        long elapsed = Duration.between(start, clock.instant()).toMillis();
        return new ReconcileProgress(runId, true, phase, start, elapsed, devices, 0, 0, 0);
    }

    @Test
    void aFailingListenerDoesNotStopTheRun() {
        drift();
        Reconciler reconciler = builder().listener(progress -> {
            throw new IllegalStateException("listener bug");
        }).build();

        ReconcileReport report = reconciler.run(false);

        assertThat(report.status()).isEqualTo(ReconcileStatus.OK);
        assertThat(report.counts().applied()).isEqualTo(8);
    }
}
