package io.dpstwin.core.retirement;

import io.dpstwin.core.twins.AdtErrorCodes;
import io.dpstwin.core.twins.AdtException;
import io.dpstwin.core.twins.HandFakeGateway;
import io.dpstwin.core.twins.DigitalTwinsGateway;
import io.dpstwin.core.twins.IncomingRelationship;
import io.dpstwin.core.twins.JsonPatchOperation;
import io.dpstwin.core.twins.Relationship;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class DeleteTwinPolicyTest {

    private final HandFakeGateway fake = new HandFakeGateway();
    private final TwinGraph graph = new TwinGraph(fake);

    @Test
    void deletesOutgoingAndIncomingRelationshipsThenTheTwin() {
        graph.deviceWith("dev-1", 3, 2).relate("dev-1-space-0", "contains", "lamp");
        int twinsBefore = fake.twinCount();

        RetirementResult result = RetirementPolicy.DELETE.retire(fake, RetirementRequest.of("dev-1", "dev-1"));

        assertThat(result).isEqualTo(RetirementResult.RETIRED);
        assertThat(fake.getTwin("dev-1")).isEmpty();
        assertThat(fake.twinCount()).isEqualTo(twinsBefore - 1);
        // only the relationship that never involved dev-1 is left
        assertThat(fake.relationshipCount()).isEqualTo(1);
        assertThat(fake.listRelationships("dev-1-space-0", null)).extracting(Relationship::targetId)
                .containsExactly("lamp");
    }

    @Test
    void retiresATwinWith120Relationships() {
        graph.deviceWith("dev-120", 70, 50);
        assertThat(fake.relationshipCount()).isEqualTo(120);

        assertDeletedWithEveryRelationship(fake, "dev-120");
        assertThat(fake.calls("deleteRelationship")).isEqualTo(120);
        assertThat(fake.calls("deleteTwin")).isEqualTo(1);
    }

    @Test
    void anAbsentTwinIsAlreadyGoneAndNothingIsWritten() {
        RetirementResult result = RetirementPolicy.DELETE.retire(fake, RetirementRequest.of("ghost", "ghost"));

        assertThat(result).isEqualTo(RetirementResult.ALREADY_GONE);
        assertThat(fake.calls("deleteTwin")).isZero();
        assertThat(fake.calls("deleteRelationship")).isZero();
    }

    @Test
    void neverSendsAnEtagForTheTwinSoAConcurrentPatchCannotBlockTheDelete() {
        graph.deviceWith("dev-1", 2, 1);
        List<String> twinIfMatch = Collections.synchronizedList(new ArrayList<>());
        ForwardingGateway gateway = new ForwardingGateway(fake) {
            @Override
            public void deleteRelationship(String sourceTwinId, String relationshipId, String ifMatch) {
                // telemetry patches the device twin while its relationships are being deleted
                delegate.updateTwin("dev-1", List.of(JsonPatchOperation.add("/Temperature", 21.5)), null);
                super.deleteRelationship(sourceTwinId, relationshipId, ifMatch);
            }

            @Override
            public void deleteTwin(String twinId, String ifMatch) {
                twinIfMatch.add(String.valueOf(ifMatch));
                super.deleteTwin(twinId, ifMatch);
            }
        };

        assertThat(RetirementPolicy.DELETE.retire(gateway, RetirementRequest.of("dev-1", "dev-1")))
                .isEqualTo(RetirementResult.RETIRED);
        assertThat(fake.getTwin("dev-1")).isEmpty();
        assertThat(twinIfMatch).containsExactly("null");
    }

    @Test
    void listsAgainWhenARelationshipIsAddedConcurrently() {
        graph.deviceWith("dev-1", 1, 1).twin("late-space");
        AtomicBoolean added = new AtomicBoolean();
        ForwardingGateway gateway = ForwardingGateway.afterListingIncoming(fake, other -> {
            if (added.compareAndSet(false, true)) {
                // another writer attaches the device right after our listing
                other.createRelationshipIfAbsent(Relationship.of("late", "late-space", "dev-1", "contains"));
            }
        });

        assertDeletedWithEveryRelationship(gateway, "dev-1");
        assertThat(fake.calls("deleteTwin")).isEqualTo(2);
        assertThat(fake.calls("listIncomingRelationships")).isEqualTo(2);
    }

    @Test
    void retriesWhenRelationshipDeletesHaveNotPropagatedYet() {
        graph.deviceWith("dev-1", 1, 0);
        fake.failNext("deleteTwin", new AdtException(400, AdtErrorCodes.RELATIONSHIPS_NOT_DELETED,
                "Twin dev-1 has active relationships."));

        assertThat(RetirementPolicy.DELETE.retire(fake, RetirementRequest.of("dev-1", "dev-1")))
                .isEqualTo(RetirementResult.RETIRED);
        assertThat(fake.getTwin("dev-1")).isEmpty();
        assertThat(fake.calls("deleteTwin")).isEqualTo(2);
    }

    @Test
    void givesUpAfterTheConfiguredRoundsWithATransientIncompleteRetirement() {
        graph.deviceWith("dev-1", 0, 0).twin("busy-space");
        AtomicInteger n = new AtomicInteger();
        ForwardingGateway gateway = ForwardingGateway.afterListingIncoming(fake, other -> other
                .createRelationshipIfAbsent(Relationship.of("r" + n.incrementAndGet(), "busy-space", "dev-1", "contains")));

        assertThatThrownBy(() -> new DeleteTwinPolicy(3).retire(gateway, RetirementRequest.of("dev-1", "dev-1")))
                .isInstanceOf(RetirementIncompleteException.class)
                .hasMessageContaining("dev-1").hasMessageContaining("3 rounds");
        assertThat(fake.getTwin("dev-1")).isPresent();
        assertThat(fake.calls("deleteTwin")).isEqualTo(3);
    }

    @Test
    void aRelationshipDeletedByAnotherWriterMeanwhileCountsAsDeleted() {
        graph.deviceWith("dev-1", 2, 2);
        ForwardingGateway gateway = new ForwardingGateway(fake) {
            @Override
            public List<Relationship> listRelationships(String twinId, String relationshipName) {
                List<Relationship> listed = super.listRelationships(twinId, relationshipName);
                delegate.deleteRelationship(twinId, listed.get(0).id(), null);
                return listed;
            }

            @Override
            public List<IncomingRelationship> listIncomingRelationships(String twinId) {
                List<IncomingRelationship> listed = super.listIncomingRelationships(twinId);
                IncomingRelationship first = listed.get(0);
                delegate.deleteRelationship(first.sourceId(), first.relationshipId(), null);
                return listed;
            }
        };

        assertDeletedWithEveryRelationship(gateway, "dev-1");
    }

    /** Retires {@code deviceId}'s twin through {@code gateway}; the twin and every relationship of it are gone. */
    private void assertDeletedWithEveryRelationship(DigitalTwinsGateway gateway, String deviceId) {
        assertThat(RetirementPolicy.DELETE.retire(gateway, RetirementRequest.of(deviceId, deviceId)))
                .isEqualTo(RetirementResult.RETIRED);
        assertThat(fake.getTwin(deviceId)).isEmpty();
        assertThat(fake.relationshipCount()).isZero();
    }

    @Test
    void leavesAnIncomingRelationshipThatWasRepointedToAnotherTwin() {
        graph.deviceWith("dev-1", 0, 1).twin("dev-2");
        String relationshipId = "dev-1-space-0-contains-dev-1";
        // the space's owner re-points the same relationship id at the replacement device
        ForwardingGateway gateway = ForwardingGateway.afterListingIncoming(fake, other -> other
                .createOrReplaceRelationship(Relationship.of(relationshipId, "dev-1-space-0", "dev-2", "contains")));

        assertThat(RetirementPolicy.DELETE.retire(gateway, RetirementRequest.of("dev-1", "dev-1")))
                .isEqualTo(RetirementResult.RETIRED);
        assertThat(fake.getTwin("dev-1")).isEmpty();
        assertThat(fake.getRelationship("dev-1-space-0", relationshipId))
                .hasValueSatisfying(r -> assertThat(r.targetId()).isEqualTo("dev-2"));
    }

    @Test
    void rereadsAnIncomingRelationshipWhoseEtagChangedBeforeItsDelete() {
        graph.deviceWith("dev-1", 0, 1);
        String relationshipId = "dev-1-space-0-contains-dev-1";
        AtomicBoolean raced = new AtomicBoolean();
        List<String> ifMatches = Collections.synchronizedList(new ArrayList<>());
        ForwardingGateway gateway = new ForwardingGateway(fake) {
            @Override
            public void deleteRelationship(String sourceTwinId, String relationshipId, String ifMatch) {
                ifMatches.add(ifMatch);
                if (raced.compareAndSet(false, true)) {
                    // a concurrent update of the relationship's properties changes its etag
                    delegate.createOrReplaceRelationship(new Relationship(relationshipId, sourceTwinId, "dev-1",
                            "contains", null, java.util.Map.of("since", "2026")));
                }
                super.deleteRelationship(sourceTwinId, relationshipId, ifMatch);
            }
        };

        assertThat(RetirementPolicy.DELETE.retire(gateway, RetirementRequest.of("dev-1", "dev-1")))
                .isEqualTo(RetirementResult.RETIRED);
        assertThat(fake.getTwin("dev-1")).isEmpty();
        assertThat(fake.relationshipCount()).isZero();
        assertThat(ifMatches).hasSize(2).allSatisfy(etag -> assertThat(etag).startsWith("W/\""));
        assertThat(ifMatches.get(0)).isNotEqualTo(ifMatches.get(1));
        assertThat(fake.calls("getRelationship")).isEqualTo(2);
    }

    @Test
    void transientAdtFailuresPropagateForTheCallerToRetry() {
        graph.deviceWith("dev-1", 1, 0);
        fake.failNext("deleteRelationship", new AdtException(503, AdtErrorCodes.SERVICE_UNAVAILABLE, "busy"));

        assertThatThrownBy(() -> RetirementPolicy.DELETE.retire(fake, RetirementRequest.of("dev-1", "dev-1")))
                .isInstanceOfSatisfying(AdtException.class, e -> assertThat(e.isTransient()).isTrue());
        assertThat(fake.getTwin("dev-1")).isPresent();

        // running it again from the start finishes the job
        assertThat(RetirementPolicy.DELETE.retire(fake, RetirementRequest.of("dev-1", "dev-1")))
                .isEqualTo(RetirementResult.RETIRED);
    }

    @Test
    void refusesLessThanOneRound() {
        assertThatThrownBy(() -> new DeleteTwinPolicy(0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new DetachTwinPolicy(0)).isInstanceOf(IllegalArgumentException.class);
    }
}
