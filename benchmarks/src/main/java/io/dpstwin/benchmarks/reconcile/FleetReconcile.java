package io.dpstwin.benchmarks.reconcile;

import io.dpstwin.core.reconcile.MissingTwin;
import io.dpstwin.core.reconcile.OrphanTwin;
import io.dpstwin.core.reconcile.ReconcileListener;
import io.dpstwin.core.reconcile.ReconcileOptions;
import io.dpstwin.core.reconcile.ReconcilePlan;
import io.dpstwin.core.reconcile.Reconciler;
import io.dpstwin.core.reconcile.UnresolvedDevice;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * Plans a reconcile of a generated {@link Fleet} against {@link GeneratedHubs} and {@link GeneratedTwins}, with
 * every quota compressed by the same speed-up (so that 25 simulated minutes of hub quota take 50 real seconds at
 * 30×), and checks the plan against the planted drift. The reconciler runs as in production: its own per-hub query
 * limiter (configured at the hub's quota × the speed-up), its retry, its threads.
 */
public record FleetReconcile(Fleet fleet, int unitsPerHub, double speedup) {

    /** Options for a plan of {@code fleet}: its model, no safety limit on retirements, no grace-window hits. */
    static ReconcileOptions options(Fleet fleet, int queriesPerMinute) {
        return ReconcileOptions.builder()
                .deviceModels(Fleet.MODEL)
                .queriesPerMinute(queriesPerMinute)
                .parallelism(Math.max(2, fleet.hubs()))
                .maxRetirements(Math.max(1, fleet.orphans()))
                .maxRetirementShare(1.0)
                .clock(Clock.fixed(Instant.now().plus(Duration.ofDays(1)), ZoneOffset.UTC))
                .build();
    }

    public FleetReconcileResult run(Consumer<String> progressLog) {
        GeneratedHubs hubs = new GeneratedHubs(fleet, unitsPerHub, speedup);
        GeneratedTwins twins = new GeneratedTwins(fleet, speedup);
        AtomicLong events = new AtomicLong();
        AtomicLong lastLog = new AtomicLong(System.nanoTime());
        ReconcileListener listener = progress -> {
            events.incrementAndGet();
            long now = System.nanoTime();
            long previous = lastLog.get();
            if (now - previous > 10_000_000_000L && lastLog.compareAndSet(previous, now)) {
                progressLog.accept(String.format(Locale.ROOT, "reconcile: %s, %d devices and %d twins listed",
                        progress.phase().wire(), progress.devicesListed(), progress.twinsListed()));
            }
        };
        int queriesPerMinute = (int) Math.round(GeneratedHubs.QUERIES_PER_MINUTE_PER_UNIT * unitsPerHub * speedup);
        Reconciler reconciler = Reconciler.builder(twins, hubs)
                .options(options(fleet, queriesPerMinute))
                .meterRegistry(new SimpleMeterRegistry())
                .listener(listener)
                .build();
        ReconcilePlan plan;
        double measured;
        double peakLive;
        double peakUsed;
        try (HeapWatch heap = new HeapWatch()) {
            long start = System.nanoTime();
            plan = reconciler.plan();
            measured = (System.nanoTime() - start) / 1e9 * speedup;
            peakLive = heap.peakLiveMib();
            peakUsed = heap.peakUsedMib();
        }
        List<String> mismatches = compare(fleet, plan);
        double registry = registryMinimumSeconds(fleet, unitsPerHub);
        double adt = adtMinimumSeconds(twins.requests(), twins.queryUnits());
        return new FleetReconcileResult(fleet.devices(), plan.twinsListed(), fleet.hubs(), speedup, measured,
                Math.max(registry, adt), registry, adt, peakLive, peakUsed, hubs.requests(), hubs.throttled(),
                twins.requests(), twins.inQueries(), twins.inItems(), events.get(), mismatches.isEmpty(),
                mismatches);
    }

    /**
     * The slowest hub's listing time at its quota: a token bucket of a minute's queries that starts full lets the
     * first {@code 20 × units} pages go at once and one more every {@code 60 / (20 × units)} seconds.
     */
    static double registryMinimumSeconds(Fleet fleet, int unitsPerHub) {
        double perMinute = GeneratedHubs.QUERIES_PER_MINUTE_PER_UNIT * unitsPerHub;
        double slowest = 0;
        for (int h = 0; h < fleet.hubs(); h++) {
            slowest = Math.max(slowest, Math.max(0, fleet.pagesOf(h) - perMinute) * 60.0 / perMinute);
        }
        return slowest;
    }

    /** ADT's time for {@code requests} queries costing {@code units} query units, both buckets starting full. */
    static double adtMinimumSeconds(long requests, long units) {
        return Math.max(Math.max(0, requests - GeneratedTwins.REQUESTS_PER_SECOND)
                        / (double) GeneratedTwins.REQUESTS_PER_SECOND,
                Math.max(0, units - GeneratedTwins.QUERY_UNITS_PER_SECOND)
                        / (double) GeneratedTwins.QUERY_UNITS_PER_SECOND);
    }

    /** What differs between {@code plan} and the drift planted in {@code fleet}; empty when they are equal. */
    public static List<String> compare(Fleet fleet, ReconcilePlan plan) {
        Set<String> orphans = new HashSet<>();
        for (int j = 0; j < fleet.orphans(); j++) {
            orphans.add(Fleet.orphanId(j));
        }
        Set<String> missing = new HashSet<>();
        Set<String> unresolved = new HashSet<>();
        for (int i = 0; i < fleet.devices(); i++) {
            switch (fleet.kind(i)) {
                case MISSING -> missing.add(Fleet.deviceId(i));
                case UNRESOLVED -> unresolved.add(Fleet.deviceId(i));
                default -> { }
            }
        }
        List<String> problems = new ArrayList<>();
        same("orphans", orphans, plan.orphans().stream().map(OrphanTwin::twinId).toList(), problems);
        same("missing twins", missing, plan.missing().stream().map(MissingTwin::deviceId).toList(), problems);
        same("unresolved devices", unresolved,
                plan.unresolved().stream().map(UnresolvedDevice::deviceId).toList(), problems);
        if (plan.missing().stream().anyMatch(m -> !m.twinId().equals(m.deviceId())
                || !Fleet.MODEL.equals(m.modelId()))) {
            problems.add("a missing twin has the wrong id or model");
        }
        if (plan.unresolved().stream().anyMatch(u -> !UnresolvedDevice.NO_MODEL.equals(u.reason()))) {
            problems.add("an unresolved device has another reason than no_model");
        }
        if (plan.devicesListed() != fleet.devices()) {
            problems.add("devices listed " + plan.devicesListed() + ", expected " + fleet.devices());
        }
        if (!plan.skippedRecent().isEmpty() || plan.twinsOfOtherModels() != 0 || plan.retirementsWithheld()) {
            problems.add("unexpected: " + plan.skippedRecent().size() + " skipped, " + plan.twinsOfOtherModels()
                    + " of other models, withheld " + plan.retirementsWithheld());
        }
        if (plan.actions().size() != orphans.size() + missing.size()) {
            problems.add(plan.actions().size() + " actions, expected " + (orphans.size() + missing.size()));
        }
        return problems;
    }

    private static void same(String what, Set<String> planted, List<String> planned, List<String> problems) {
        Set<String> found = new HashSet<>(planned);
        if (found.size() != planned.size()) {
            problems.add(what + ": " + (planned.size() - found.size()) + " listed twice");
        }
        if (!found.equals(planted)) {
            Set<String> extra = new HashSet<>(found);
            extra.removeAll(planted);
            Set<String> lacking = new HashSet<>(planted);
            lacking.removeAll(found);
            problems.add(what + ": " + extra.size() + " not planted (e.g. " + extra.stream().limit(3).toList()
                    + "), " + lacking.size() + " planted but not found (e.g. " + lacking.stream().limit(3).toList()
                    + ")");
        }
    }
}
