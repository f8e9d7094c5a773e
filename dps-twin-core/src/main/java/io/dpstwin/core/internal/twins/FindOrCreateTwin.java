package io.dpstwin.core.internal.twins;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import io.dpstwin.core.twins.AdtErrorCodes;
import io.dpstwin.core.twins.AdtException;
import io.dpstwin.core.twins.DigitalTwin;
import io.dpstwin.core.twins.DigitalTwinsGateway;
import io.dpstwin.core.twins.EnsuredTwin;
import io.dpstwin.core.twins.JsonPatchOperation;
import io.dpstwin.core.twins.ModelMismatchException;
import io.dpstwin.core.twins.ModelMismatchPolicy;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Idempotent find-or-create of a device's twin, safe under DPS retries, SDK retries and concurrent
 * registrations of one device: {@code GET /digitaltwins/{id}} → {@code PUT} with {@code If-None-Match: *} →
 * on 412 {@code GET} again. It never queries (queries lag writes by up to 10 s) and never replaces a twin: an
 * existing twin of another model follows the {@link ModelMismatchPolicy}.
 */
public final class FindOrCreateTwin {

    private static final Logger LOG = LoggerFactory.getLogger(FindOrCreateTwin.class);
    /** A twin can vanish between the 412 and the next GET (a concurrent delete); try a few times, then give up. */
    private static final int MAX_ROUNDS = 3;

    private final DigitalTwinsGateway gateway;
    private final ModelMismatchPolicy mismatchPolicy;

    public FindOrCreateTwin(DigitalTwinsGateway gateway, ModelMismatchPolicy mismatchPolicy) {
        this.gateway = Objects.requireNonNull(gateway, "gateway");
        this.mismatchPolicy = Objects.requireNonNull(mismatchPolicy, "mismatchPolicy");
    }

    /**
     * Finds the twin {@code twinId} or creates it with {@code modelId} and {@code initialProperties}.
     *
     * @throws ModelMismatchException the twin exists with another model under {@link ModelMismatchPolicy#REJECT}
     * @throws AdtException           ADT failed; {@link AdtException#isTransient()} tells whether to try later
     */
    public EnsuredTwin ensureTwin(String twinId, String modelId, Map<String, Object> initialProperties) {
        Objects.requireNonNull(twinId, "twinId");
        Objects.requireNonNull(modelId, "modelId");
        for (int round = 1; round <= MAX_ROUNDS; round++) {
            Optional<DigitalTwin> existing = gateway.getTwin(twinId);
            if (existing.isPresent()) {
                return reconcileModel(existing.get(), modelId);
            }
            try {
                DigitalTwin created = gateway.createTwinIfAbsent(DigitalTwin.of(twinId, modelId, initialProperties));
                LOG.debug("Created twin {} of model {}", twinId, modelId);
                return new EnsuredTwin(created, EnsuredTwin.Outcome.CREATED);
            } catch (AdtException e) {
                if (!e.isPreconditionFailed()) {
                    throw e;
                }
                // Another registration of this device (or a retried PUT of ours) created it first: read it.
                LOG.debug("Twin {} was created concurrently (412); reading it again", twinId);
            }
        }
        throw new AdtException(503, AdtErrorCodes.SERVICE_UNAVAILABLE,
                "twin '" + twinId + "' kept appearing and disappearing while it was being created; try again");
    }

    private EnsuredTwin reconcileModel(DigitalTwin twin, String modelId) {
        if (twin.modelId().equals(modelId)) {
            return new EnsuredTwin(twin, EnsuredTwin.Outcome.FOUND);
        }
        switch (mismatchPolicy) {
            case KEEP:
                LOG.info("Twin {} has model {} instead of {}; keeping it (policy KEEP)", twin.id(), twin.modelId(), modelId);
                return new EnsuredTwin(twin, EnsuredTwin.Outcome.KEPT_OTHER_MODEL);
            case MIGRATE:
                return migrate(twin, modelId);
            case REJECT:
            default:
                throw new ModelMismatchException(twin.id(), twin.modelId(), modelId);
        }
    }

    private EnsuredTwin migrate(DigitalTwin twin, String modelId) {
        DigitalTwin current = twin;
        for (int round = 1; round <= MAX_ROUNDS; round++) {
            try {
                gateway.updateTwin(current.id(), List.of(JsonPatchOperation.replace("/$metadata/$model", modelId)),
                        current.etag());
                LOG.info("Migrated twin {} from model {} to {}", current.id(), current.modelId(), modelId);
                DigitalTwin migrated = gateway.getTwin(current.id())
                        .orElseGet(() -> new DigitalTwin(twin.id(), modelId, null, twin.properties()));
                return new EnsuredTwin(migrated, EnsuredTwin.Outcome.MIGRATED);
            } catch (AdtException e) {
                if (!e.isPreconditionFailed()) {
                    throw e;
                }
                Optional<DigitalTwin> reread = gateway.getTwin(current.id());
                if (reread.isEmpty()) {
                    throw new AdtException(503, AdtErrorCodes.SERVICE_UNAVAILABLE,
                            "twin '" + twin.id() + "' was deleted while its model was being migrated; try again");
                }
                current = reread.get();
                if (current.modelId().equals(modelId)) {
                    return new EnsuredTwin(current, EnsuredTwin.Outcome.FOUND);
                }
            }
        }
        throw new AdtException(503, AdtErrorCodes.SERVICE_UNAVAILABLE,
                "twin '" + twin.id() + "' kept changing while its model was being migrated; try again");
    }
}
