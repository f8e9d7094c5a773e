package io.dpstwin.spring.reconcile;

import io.dpstwin.core.testing.BlockingInventory;
import io.dpstwin.core.reconcile.BlobLeaseReconcileLock;
import io.dpstwin.core.reconcile.ReconcileLock;
import io.dpstwin.core.reconcile.ReconcileReport;
import io.dpstwin.core.twins.DigitalTwinsGateway;
import io.dpstwin.spring.autoconfigure.DpsTwinAutoConfiguration;
import io.dpstwin.spring.autoconfigure.DpsTwinReconcileAutoConfiguration;
import io.dpstwin.testkit.azurite.Azurite;
import io.dpstwin.testkit.azurite.AzuriteTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.TimeUnit;

import static io.dpstwin.spring.reconcile.ReconcileFixture.THERMOSTAT;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Two replicas of an application (two Spring contexts) share a storage account, as they share the Event Hubs
 * checkpoint container: their schedules fire at the same moment, and the blob lease lets exactly one of them run.
 */
// output capture first: its afterAll must find what its beforeAll pushed when Azurite's beforeAll skips the class
@ExtendWith(OutputCaptureExtension.class)
@AzuriteTest
class ReconcileLockAcrossReplicasTest {

    private ApplicationContextRunner replica(Azurite azurite, String container, ReconcileFixture fixture,
                                             BlockingInventory inventory) {
        return new ApplicationContextRunner()
                .withConfiguration(AutoConfigurations.of(DpsTwinAutoConfiguration.class,
                        DpsTwinReconcileAutoConfiguration.class))
                .withBean(DigitalTwinsGateway.class, () -> fixture.adt)
                .withBean(BlockingInventory.class, () -> inventory)
                .withPropertyValues("dps-twin.reconcile.device-models=" + THERMOSTAT,
                        "dps-twin.reconcile.schedule.cron=0 0 3 * * *",
                        "dps-twin.lifecycle.event-hubs.checkpoint-store.connection-string="
                                + azurite.connectionString(),
                        "dps-twin.lifecycle.event-hubs.checkpoint-store.container-name=" + container);
    }

    @Test
    void schedulesFiringAtTheSameMomentOnTwoReplicasRunExactlyOneReconcile(Azurite azurite, CapturedOutput output)
            throws Exception {
        String container = "checkpoints-" + UUID.randomUUID();
        ReconcileFixture fixture = ReconcileFixture.withDrift();
        BlockingInventory first = new BlockingInventory(fixture.hubs);
        BlockingInventory second = new BlockingInventory(fixture.hubs);
        replica(azurite, container, fixture, first).run(one -> replica(azurite, container, fixture, second).run(two -> {
            assertThat(one.getBean(ReconcileLock.class)).isInstanceOf(BlobLeaseReconcileLock.class);
            assertThat(two.getBean(ReconcileLock.class)).isInstanceOf(BlobLeaseReconcileLock.class);
            ScheduledReconcile scheduleOne = one.getBean(ScheduledReconcile.class);
            ScheduledReconcile scheduleTwo = two.getBean(ScheduledReconcile.class);
            CyclicBarrier sameMoment = new CyclicBarrier(2);
            CompletableFuture<Optional<ReconcileReport>> runOne = CompletableFuture.supplyAsync(() -> {
                await(sameMoment);
                return scheduleOne.runOnce();
            });
            CompletableFuture<Optional<ReconcileReport>> runTwo = CompletableFuture.supplyAsync(() -> {
                await(sameMoment);
                return scheduleTwo.runOnce();
            });

            // The replica that got the lease is held in its listing; the other has given up by then.
            CompletableFuture.anyOf(runOne, runTwo).get(30, TimeUnit.SECONDS);
            first.release.countDown();
            second.release.countDown();
            List<Optional<ReconcileReport>> outcomes = List.of(runOne.get(30, TimeUnit.SECONDS),
                    runTwo.get(30, TimeUnit.SECONDS));

            assertThat(outcomes).filteredOn(Optional::isPresent).as("exactly one replica reconciled").hasSize(1);
            assertThat(outcomes).filteredOn(Optional::isEmpty).hasSize(1);
            assertThat(first.listing.getCount() + second.listing.getCount()).as("only one replica listed").isEqualTo(1);
            assertThat(output).contains("Scheduled dps-twin reconcile (dry run) skipped: another instance holds "
                    + "the reconcile lock");
            assertThat(one.getBean(ReconcileRunner.class).isRunning()).isFalse();
            assertThat(two.getBean(ReconcileRunner.class).isRunning()).isFalse();

            // The lease was released at the end of the run: the other replica's next run goes ahead at once.
            ScheduledReconcile loser = outcomes.get(0).isEmpty() ? scheduleOne : scheduleTwo;
            assertThat(loser.runOnce()).isPresent();
        }));
    }

    private static void await(CyclicBarrier barrier) {
        try {
            barrier.await(10, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
