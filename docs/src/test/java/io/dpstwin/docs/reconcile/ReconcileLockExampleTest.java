package io.dpstwin.docs.reconcile;

import io.dpstwin.core.reconcile.ReconcileLock;
import net.javacrumbs.shedlock.core.LockConfiguration;
import net.javacrumbs.shedlock.core.LockProvider;
import net.javacrumbs.shedlock.provider.inmemory.InMemoryLockProvider;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * reconciliation.md, "One reconciler at a time": a {@link ReconcileLock} on ShedLock. Two replicas are two locks over
 * one lock provider (in production a JDBC one on the database every replica shares).
 */
class ReconcileLockExampleTest {

    static ReconcileLock shedLock(LockProvider lockProvider) {
        // tag::shedlock[]
        // lockProvider: e.g. new JdbcTemplateLockProvider(dataSource), on a table every replica shares
        ReconcileLock lock = () -> lockProvider.lock(new LockConfiguration(Instant.now(), "dps-twin-reconcile",
                        Duration.ofHours(2), Duration.ZERO))   // at most: longer than your longest run
                .map(held -> new ReconcileLock.Held() {
                    @Override
                    public boolean isHeld() {
                        return true;
                    }

                    @Override
                    public void close() {
                        held.unlock();
                    }
                });
        // end::shedlock[]
        return lock;
    }

    @Test
    void twoReplicasOnOneLockProviderTakeTurns() {
        LockProvider database = new InMemoryLockProvider();
        ReconcileLock replicaOne = shedLock(database);
        ReconcileLock replicaTwo = shedLock(database);

        Optional<ReconcileLock.Held> one = replicaOne.tryAcquire();
        assertThat(one).isPresent();
        assertThat(replicaTwo.tryAcquire()).as("refused while the other runs").isEmpty();

        one.get().close();
        Optional<ReconcileLock.Held> two = replicaTwo.tryAcquire();
        assertThat(two).as("free once released").isPresent();
        assertThat(replicaOne.tryAcquire()).isEmpty();
        two.get().close();
    }
}
