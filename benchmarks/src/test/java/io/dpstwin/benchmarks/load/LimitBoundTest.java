package io.dpstwin.benchmarks.load;

import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

class LimitBoundTest {

    private static final AdtProfile SCALED = AdtProfile.scaled(100, 10, Duration.ofMillis(20));

    @Test
    void countsOneCreateForProvisioningAndThreeCreatesOrDeletesForRetiringEachDevice() {
        Workload workload = new Workload(300, 4);

        assertThat(workload.provisionCreateDeletes()).isEqualTo(300);
        assertThat(workload.retireCreateDeletes()).isEqualTo(900);
        assertThat(workload.createDeletes()).isEqualTo(1200);
    }

    @Test
    void spreadsDevicesOverRoomsSoThatTheBusiestRoomHoldsAtMostDevicesPerRoom() {
        Workload workload = new Workload(10, 4);

        assertThat(workload.rooms()).isEqualTo(3);
        assertThat(workload.roomOf(0)).isEqualTo(workload.roomOf(3)).isEqualTo(workload.roomOf(9));
        assertThat(workload.roomOf(1)).isNotEqualTo(workload.roomOf(0));
        assertThat(workload.mostDevicesInOneRoom()).isEqualTo(4);
        assertThat(workload.retireMostWritesOnOneTwin()).as("2 relationship deletes per device of the room")
                .isEqualTo(8);
    }

    @Test
    void aDeviceTwinTakesThreeWritesWhenItsRoomHoldsOnlyIt() {
        assertThat(new Workload(5, 1).retireMostWritesOnOneTwin()).isEqualTo(3);
    }

    @Test
    void theSustainedPaceIsTheCreatesAndDeletesAtTheInstanceRateUnlessTheBusiestTwinNeedsLonger() {
        assertThat(LimitBound.sustainedPhaseSeconds(300, 1, SCALED)).isEqualTo(3.0);
        assertThat(LimitBound.sustainedPhaseSeconds(900, 8, SCALED)).isEqualTo(9.0);
        assertThat(LimitBound.sustainedPhaseSeconds(50, 35, SCALED)).as("35 writes at 10 per second").isEqualTo(3.5);
        assertThat(LimitBound.sustainedPhaseSeconds(0, 0, SCALED)).isZero();
    }

    @Test
    void aPhaseStartingWithAFullWindowNeedsOneSecondPerFurtherWindow() {
        assertThat(LimitBound.minimumPhaseSeconds(100, 1, SCALED)).as("one window").isZero();
        assertThat(LimitBound.minimumPhaseSeconds(101, 1, SCALED)).isEqualTo(1.0);
        assertThat(LimitBound.minimumPhaseSeconds(300, 1, SCALED)).isEqualTo(2.0);
        assertThat(LimitBound.minimumPhaseSeconds(900, 3, SCALED)).isEqualTo(8.0);
        assertThat(LimitBound.minimumPhaseSeconds(50, 35, SCALED)).as("busiest twin: 4 windows").isEqualTo(3.0);
        assertThat(LimitBound.minimumPhaseSeconds(50, 3, AdtProfile.scaled(100, 2, Duration.ZERO))).isEqualTo(1.0);
    }

    @Test
    void theWholeRunIsTheSumOfItsPhases() {
        Workload workload = new Workload(300, 4);

        assertThat(LimitBound.sustainedProvisionSeconds(workload, SCALED)).isEqualTo(3.0);
        assertThat(LimitBound.sustainedRetireSeconds(workload, SCALED)).isEqualTo(9.0);
        assertThat(LimitBound.sustainedSeconds(workload, SCALED)).isEqualTo(12.0);
        assertThat(LimitBound.limitBoundRate(workload, SCALED)).isEqualTo(100.0);
        assertThat(LimitBound.minimumProvisionSeconds(workload, SCALED)).isEqualTo(2.0);
        assertThat(LimitBound.minimumRetireSeconds(workload, SCALED)).isEqualTo(8.0);
        assertThat(LimitBound.minimumSeconds(workload, SCALED)).isEqualTo(10.0);
    }

    @Test
    void theRatioIsTheAchievedRateOverTheLimitBoundRate() {
        Workload workload = new Workload(300, 4);
        double measured = 15.0;
        double achievedRate = workload.createDeletes() / measured;

        assertThat(LimitBound.ratio(LimitBound.sustainedSeconds(workload, SCALED), measured))
                .isCloseTo(achievedRate / LimitBound.limitBoundRate(workload, SCALED), within(1e-9))
                .isCloseTo(0.8, within(1e-9));
        assertThatThrownBy(() -> LimitBound.ratio(10.0, 0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> LimitBound.minimumPhaseSeconds(-1, 0, SCALED))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void theClientKeepsTheSameLimitsAsTheEmulatorAndScalesTheOthersLikeTheInstanceLimit() {
        var client = SCALED.clientLimits();

        assertThat(client.createDeletesPerSecond()).isEqualTo(100);
        assertThat(client.perTwinWritesPerSecond()).isEqualTo(10);
        assertThat(client.readsPerSecond()).as("ADT 1000, scaled by 100/500").isEqualTo(200);
        assertThat(client.queriesPerSecond()).isEqualTo(100);
        assertThat(SCALED.emulatorLimits().instanceLimit()).hasValueSatisfying(l -> assertThat(l.permits())
                .isEqualTo(100));
        assertThat(SCALED.emulatorLimits().twinLimit()).hasValueSatisfying(l -> assertThat(l.permits())
                .isEqualTo(10));
    }
}
