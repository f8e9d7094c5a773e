package io.dpstwin.core.lifecycle;

import io.dpstwin.core.internal.support.Identifiers;
import io.dpstwin.core.retirement.RetirementRequest;
import io.dpstwin.core.twins.Dtmi;

import static io.dpstwin.core.lifecycle.IotHubLifecycleNames.SCHEMA_DEVICE_LIFECYCLE;
import static io.dpstwin.core.lifecycle.IotHubLifecycleNames.SCHEMA_MODULE_LIFECYCLE;
import static io.dpstwin.core.lifecycle.IotHubLifecycleNames.SOURCE_DEVICE_LIFECYCLE;

/**
 * The filters of the retire flow, in order; each skip has a stable {@link OutcomeReason}. Pure: no I/O.
 * <ol>
 *   <li>unparseable messages;</li>
 *   <li>not a lifecycle notification ({@code iothub-message-schema}, {@code iothub-message-source});</li>
 *   <li>module events (a module id anywhere, or a legacy {@code *ModuleIdentity} operation);</li>
 *   <li>hubs not served;</li>
 *   <li>operations other than {@code createDeviceIdentity}/{@code deleteDeviceIdentity};</li>
 *   <li>the twin id: the {@code dtId} tag when present (validated), else the twin id strategy;</li>
 *   <li>for creations: switched off, or no valid model.</li>
 * </ol>
 */
final class LifecycleFilters {

    /** Legacy source name of module lifecycle notifications. */
    private static final String SOURCE_MODULE_LIFECYCLE = "moduleLifecycleEvents";

    private final LifecycleOptions options;

    LifecycleFilters(LifecycleOptions options) {
        this.options = options;
    }

    EventPlan plan(ParsedEvent parsed) {
        if (parsed instanceof UnparseableEvent unparseable) {
            return skip(OutcomeReason.UNPARSEABLE, unparseable.reason(), null);
        }
        LifecycleEvent event = (LifecycleEvent) parsed;
        String schema = event.messageSchema();
        if (!SCHEMA_DEVICE_LIFECYCLE.equalsIgnoreCase(schema) && !SCHEMA_MODULE_LIFECYCLE.equalsIgnoreCase(schema)) {
            String what = event.eventType() != null
                    ? "event type " + Identifiers.shown(event.eventType())
                    : "iothub-message-schema " + (schema == null ? "absent" : Identifiers.shown(schema));
            return skip(OutcomeReason.NOT_LIFECYCLE_EVENT, what + " is not a device lifecycle notification", null);
        }
        String source = event.messageSource();
        if (source != null && !SOURCE_DEVICE_LIFECYCLE.equalsIgnoreCase(source)
                && !SOURCE_MODULE_LIFECYCLE.equalsIgnoreCase(source)) {
            return skip(OutcomeReason.NOT_LIFECYCLE_EVENT,
                    "iothub-message-source " + Identifiers.shown(source) + " is not deviceLifecycleEvents", null);
        }
        if (event.isModuleEvent()) {
            return skip(OutcomeReason.MODULE_EVENT, "module event ("
                    + (event.moduleId() == null ? "opType " + Identifiers.shown(event.opType())
                    : "module " + Identifiers.shown(event.moduleId())) + "); a module never retires or creates its device's twin",
                    null);
        }
        if (!options.serves(event.hubName())) {
            return skip(OutcomeReason.HUB_NOT_SERVED, "hub " + (event.hubName() == null ? "(not named)"
                    : Identifiers.shown(event.hubName())) + " is not among the served hubs " + options.servedHubs(), null);
        }
        if (!event.isDeviceDeletion() && !event.isDeviceCreation()) {
            return skip(OutcomeReason.UNSUPPORTED_OPERATION, "opType " + (event.opType() == null ? "absent"
                    : Identifiers.shown(event.opType())) + " is neither createDeviceIdentity nor deleteDeviceIdentity", null);
        }
        if (!Identifiers.isDeviceId(event.deviceId())) {
            return skip(OutcomeReason.UNPARSEABLE, "deviceId is missing or not a valid IoT Hub device id", null);
        }
        String twinId;
        if (event.tagDtId() != null) {
            if (!Identifiers.isTwinId(event.tagDtId())) {
                return skip(OutcomeReason.INVALID_TWIN_ID, "tag dtId is not a usable twin id", null);
            }
            twinId = event.tagDtId();
        } else {
            try {
                twinId = options.twinIdStrategy().twinIdFor(event.deviceId());
            } catch (RuntimeException e) {
                return skip(OutcomeReason.INVALID_TWIN_ID, "the twin id strategy refused device "
                        + Identifiers.shown(event.deviceId()) + ": " + e.getClass().getSimpleName(), null);
            }
            if (!Identifiers.isTwinId(twinId)) {
                return skip(OutcomeReason.INVALID_TWIN_ID, "the twin id strategy gave no usable twin id for device "
                        + Identifiers.shown(event.deviceId()), null);
            }
        }
        if (event.isDeviceDeletion()) {
            return new EventPlan.Retire(event, new RetirementRequest(twinId, event.deviceId(), event.hubName(),
                    event.operationTimestamp(), event.eventId()));
        }
        if (!options.createDeviceIdentity()) {
            return skip(OutcomeReason.CREATE_DISABLED, "createDeviceIdentity handling is switched off", twinId);
        }
        String modelId = firstNonNull(event.tagDtmi(), event.modelId(), options.defaultModelId().orElse(null));
        if (modelId == null) {
            return skip(OutcomeReason.NO_MODEL, "no model: no tags.dtmi or modelId in the twin, and no default model",
                    twinId);
        }
        if (!Dtmi.isValid(modelId)) {
            return skip(OutcomeReason.INVALID_MODEL_ID, "model id is not a valid DTMI", twinId);
        }
        return new EventPlan.Create(event, twinId, modelId);
    }

    private static EventPlan skip(OutcomeReason reason, String detail, String twinId) {
        return new EventPlan.Skip(reason, detail, twinId);
    }

    private static String firstNonNull(String... values) {
        for (String value : values) {
            if (value != null) {
                return value;
            }
        }
        return null;
    }
}
