package io.dpstwin.docs.testing;

import com.azure.digitaltwins.core.DigitalTwinsClient;
import io.dpstwin.core.twins.DigitalTwin;
import io.dpstwin.core.twins.DigitalTwinsGateway;
import io.dpstwin.core.twins.IncomingRelationship;
import io.dpstwin.core.twins.JsonPatchOperation;
import io.dpstwin.core.twins.ModelInfo;
import io.dpstwin.core.twins.QueryPage;
import io.dpstwin.core.twins.Relationship;
import io.dpstwin.core.twins.SdkDigitalTwinsGateway;

import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The "gateway of yours" of the contract suite example in docs/testing.md: dps-twin's SDK gateway plus an audit
 * trail of every write it forwards.
 */
final class AuditingGateway implements DigitalTwinsGateway {

    private final DigitalTwinsGateway delegate;
    private final List<String> auditTrail = new CopyOnWriteArrayList<>();

    AuditingGateway(DigitalTwinsClient client) {
        this.delegate = new SdkDigitalTwinsGateway(client);
    }

    /** The writes forwarded so far, e.g. {@code createTwinIfAbsent dev-1}. */
    List<String> auditTrail() {
        return List.copyOf(auditTrail);
    }

    private void audit(String operation, String target) {
        auditTrail.add(operation + " " + target);
    }

    @Override
    public Optional<DigitalTwin> getTwin(String twinId) {
        return delegate.getTwin(twinId);
    }

    @Override
    public DigitalTwin createTwinIfAbsent(DigitalTwin twin) {
        audit("createTwinIfAbsent", twin.id());
        return delegate.createTwinIfAbsent(twin);
    }

    @Override
    public DigitalTwin createOrReplaceTwin(DigitalTwin twin) {
        audit("createOrReplaceTwin", twin.id());
        return delegate.createOrReplaceTwin(twin);
    }

    @Override
    public void updateTwin(String twinId, List<JsonPatchOperation> patch, String ifMatch) {
        audit("updateTwin", twinId);
        delegate.updateTwin(twinId, patch, ifMatch);
    }

    @Override
    public void deleteTwin(String twinId, String ifMatch) {
        audit("deleteTwin", twinId);
        delegate.deleteTwin(twinId, ifMatch);
    }

    @Override
    public Relationship createRelationshipIfAbsent(Relationship relationship) {
        audit("createRelationshipIfAbsent", relationship.sourceId() + "/" + relationship.id());
        return delegate.createRelationshipIfAbsent(relationship);
    }

    @Override
    public Relationship createOrReplaceRelationship(Relationship relationship) {
        audit("createOrReplaceRelationship", relationship.sourceId() + "/" + relationship.id());
        return delegate.createOrReplaceRelationship(relationship);
    }

    @Override
    public Optional<Relationship> getRelationship(String sourceTwinId, String relationshipId) {
        return delegate.getRelationship(sourceTwinId, relationshipId);
    }

    @Override
    public void deleteRelationship(String sourceTwinId, String relationshipId, String ifMatch) {
        audit("deleteRelationship", sourceTwinId + "/" + relationshipId);
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
        audit("createModels", dtdlModels.size() + " models");
        return delegate.createModels(dtdlModels);
    }

    @Override
    public Optional<ModelInfo> getModel(String modelId) {
        return delegate.getModel(modelId);
    }
}
