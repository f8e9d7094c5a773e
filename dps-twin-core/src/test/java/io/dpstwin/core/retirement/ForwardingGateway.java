package io.dpstwin.core.retirement;

import io.dpstwin.core.twins.DigitalTwin;
import io.dpstwin.core.twins.DigitalTwinsGateway;
import io.dpstwin.core.twins.IncomingRelationship;
import io.dpstwin.core.twins.JsonPatchOperation;
import io.dpstwin.core.twins.ModelInfo;
import io.dpstwin.core.twins.QueryPage;
import io.dpstwin.core.twins.Relationship;

import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;

/** A gateway that forwards every call; tests override the calls they want to intercept. */
public class ForwardingGateway implements DigitalTwinsGateway {

    protected final DigitalTwinsGateway delegate;

    public ForwardingGateway(DigitalTwinsGateway delegate) {
        this.delegate = delegate;
    }

    /**
     * A gateway on which another writer acts right after each listing of a twin's incoming relationships: {@code
     * writer} gets the delegate, as if it raced the caller between its listing and its deletes.
     */
    public static ForwardingGateway afterListingIncoming(DigitalTwinsGateway delegate,
                                                         Consumer<DigitalTwinsGateway> writer) {
        return new ForwardingGateway(delegate) {
            @Override
            public List<IncomingRelationship> listIncomingRelationships(String twinId) {
                List<IncomingRelationship> listed = super.listIncomingRelationships(twinId);
                writer.accept(delegate);
                return listed;
            }
        };
    }

    @Override
    public Optional<DigitalTwin> getTwin(String twinId) {
        return delegate.getTwin(twinId);
    }

    @Override
    public DigitalTwin createTwinIfAbsent(DigitalTwin twin) {
        return delegate.createTwinIfAbsent(twin);
    }

    @Override
    public DigitalTwin createOrReplaceTwin(DigitalTwin twin) {
        return delegate.createOrReplaceTwin(twin);
    }

    @Override
    public void updateTwin(String twinId, List<JsonPatchOperation> patch, String ifMatch) {
        delegate.updateTwin(twinId, patch, ifMatch);
    }

    @Override
    public void deleteTwin(String twinId, String ifMatch) {
        delegate.deleteTwin(twinId, ifMatch);
    }

    @Override
    public Relationship createRelationshipIfAbsent(Relationship relationship) {
        return delegate.createRelationshipIfAbsent(relationship);
    }

    @Override
    public Relationship createOrReplaceRelationship(Relationship relationship) {
        return delegate.createOrReplaceRelationship(relationship);
    }

    @Override
    public Optional<Relationship> getRelationship(String sourceTwinId, String relationshipId) {
        return delegate.getRelationship(sourceTwinId, relationshipId);
    }

    @Override
    public void deleteRelationship(String sourceTwinId, String relationshipId, String ifMatch) {
        delegate.deleteRelationship(sourceTwinId, relationshipId, ifMatch);
    }

    @Override
    public List<Relationship> listRelationships(String twinId, String relationshipName) {
        return delegate.listRelationships(twinId, relationshipName);
    }

    @Override
    public List<IncomingRelationship> listIncomingRelationships(String twinId) {
        return delegate.listIncomingRelationships(twinId);
    }

    @Override
    public QueryPage query(String query, String continuationToken) {
        return delegate.query(query, continuationToken);
    }

    @Override
    public List<ModelInfo> createModels(List<String> dtdlModels) {
        return delegate.createModels(dtdlModels);
    }

    @Override
    public Optional<ModelInfo> getModel(String modelId) {
        return delegate.getModel(modelId);
    }
}
