package io.dpstwin.core.retirement;

import io.dpstwin.core.twins.DigitalTwinsGateway;
import io.dpstwin.core.twins.HandFakeGateway;
import io.dpstwin.core.twins.IncomingRelationship;
import io.dpstwin.core.twins.JsonPatchOperation;
import io.dpstwin.core.twins.Relationship;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class DetachAndCustomPolicyTest {

    /** The custom policy shown in docs/retirement.md: detach, then mark the twin retired. */
    static final class MarkRetiredPolicy implements RetirementPolicy {
        @Override
        public RetirementResult retire(DigitalTwinsGateway gateway, RetirementRequest request) {
            if (RetirementPolicy.DETACH.retire(gateway, request) == RetirementResult.ALREADY_GONE) {
                return RetirementResult.ALREADY_GONE;
            }
            gateway.updateTwin(request.twinId(), List.of(
                    JsonPatchOperation.add("/status", "retired"),
                    JsonPatchOperation.add("/retiredBy", String.valueOf(request.eventId()))), null);
            return RetirementResult.RETIRED;
        }
    }

    private final HandFakeGateway fake = new HandFakeGateway();
    private final TwinGraph graph = new TwinGraph(fake);

    @Test
    void detachDeletesEveryRelationshipButKeepsTheTwin() {
        graph.deviceWith("dev-1", 3, 2);

        assertThat(RetirementPolicy.DETACH.retire(fake, RetirementRequest.of("dev-1", "dev-1")))
                .isEqualTo(RetirementResult.RETIRED);

        assertThat(fake.getTwin("dev-1")).isPresent();
        assertThat(fake.relationshipCount()).isZero();
        assertThat(fake.calls("deleteTwin")).isZero();
    }

    @Test
    void detachIsIdempotentAndAnAbsentTwinIsAlreadyGone() {
        graph.deviceWith("dev-1", 1, 1);
        RetirementPolicy.DETACH.retire(fake, RetirementRequest.of("dev-1", "dev-1"));
        int deletes = fake.calls("deleteRelationship");

        assertThat(RetirementPolicy.DETACH.retire(fake, RetirementRequest.of("dev-1", "dev-1")))
                .isEqualTo(RetirementResult.RETIRED);
        assertThat(fake.calls("deleteRelationship")).isEqualTo(deletes);
        assertThat(RetirementPolicy.DETACH.retire(fake, RetirementRequest.of("ghost", "ghost")))
                .isEqualTo(RetirementResult.ALREADY_GONE);
    }

    @Test
    void detachGivesUpWhenRelationshipsKeepComing() {
        graph.deviceWith("dev-1", 0, 0).twin("busy");
        AtomicInteger n = new AtomicInteger();
        ForwardingGateway gateway = new ForwardingGateway(fake) {
            @Override
            public List<IncomingRelationship> listIncomingRelationships(String twinId) {
                delegate.createRelationshipIfAbsent(Relationship.of("r" + n.incrementAndGet(), "busy", "dev-1", "x"));
                return super.listIncomingRelationships(twinId);
            }
        };

        assertThatThrownBy(() -> new DetachTwinPolicy(2).retire(gateway, RetirementRequest.of("dev-1", "dev-1")))
                .isInstanceOf(RetirementIncompleteException.class);
    }

    @Test
    void aCustomPolicyCanDetachAndMarkTheTwin() {
        graph.deviceWith("dev-1", 1, 1);
        RetirementRequest request = new RetirementRequest("dev-1", "dev-1", "hub-a", null, "evt-9");

        assertThat(new MarkRetiredPolicy().retire(fake, request)).isEqualTo(RetirementResult.RETIRED);

        assertThat(fake.getTwin("dev-1")).hasValueSatisfying(twin -> {
            assertThat(twin.properties()).containsEntry("status", "retired").containsEntry("retiredBy", "evt-9");
        });
        assertThat(fake.relationshipCount()).isZero();
        assertThat(new MarkRetiredPolicy().retire(fake, RetirementRequest.of("ghost", "ghost")))
                .isEqualTo(RetirementResult.ALREADY_GONE);
    }
}
