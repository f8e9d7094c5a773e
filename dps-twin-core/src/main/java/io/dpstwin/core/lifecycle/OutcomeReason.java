package io.dpstwin.core.lifecycle;

/**
 * Why an event was skipped, dead-lettered or failed: a stable, bounded set of codes, used as the {@code reason}
 * tag of {@code dpstwin.lifecycle.events} and in dead letters.
 */
public enum OutcomeReason {
    // ---- skipped
    /** The message could not be read (bad JSON, wrong types, missing or invalid ids, misaligned binding arrays). */
    UNPARSEABLE("unparseable"),
    /**
     * Not a device lifecycle notification: {@code iothub-message-schema} is not {@code deviceLifecycleNotification}
     * (twin change, connection state, telemetry) or an Event Grid type other than DeviceCreated/DeviceDeleted.
     */
    NOT_LIFECYCLE_EVENT("not_lifecycle_event"),
    /** A module was created or deleted ({@code moduleId} present, or a legacy {@code *ModuleIdentity} operation). */
    MODULE_EVENT("module_event"),
    /** The event's hub is not in the configured allow-list. */
    HUB_NOT_SERVED("hub_not_served"),
    /** A lifecycle notification whose {@code opType} is neither {@code createDeviceIdentity} nor {@code deleteDeviceIdentity}. */
    UNSUPPORTED_OPERATION("unsupported_operation"),
    /** The twin id from the {@code dtId} tag (or the twin id strategy) is not usable. */
    INVALID_TWIN_ID("invalid_twin_id"),
    /** The registry guard found the device still registered in a hub (e.g. DPS moved it): the twin is kept. */
    DEVICE_STILL_REGISTERED("device_still_registered"),
    /** A device was created but {@code createDeviceIdentity} handling is switched off. */
    CREATE_DISABLED("create_disabled"),
    /** A device was created but no model is known for its twin (no {@code tags.dtmi}, {@code modelId} or default). */
    NO_MODEL("no_model"),
    /** A device was created with a model id that is not a valid DTMI. */
    INVALID_MODEL_ID("invalid_model_id"),
    // ---- dead-lettered
    /** A failure that retrying cannot fix (ADT 4xx other than 408/429, a permanent registry failure, a bug). */
    PERMANENT_FAILURE("permanent_failure"),
    /** Transient failures until the retry attempts ran out. */
    RETRIES_EXHAUSTED("retries_exhausted"),
    /** Transient failures until the per-event time budget ran out. */
    BUDGET_EXHAUSTED("budget_exhausted"),
    // ---- failed
    /** The dead-letter sink threw: the event is neither applied nor parked. */
    DEAD_LETTER_SINK_FAILED("dead_letter_sink_failed"),
    /** Processing was interrupted (shutdown) before the event had an outcome. */
    INTERRUPTED("interrupted");

    private final String code;

    OutcomeReason(String code) {
        this.code = code;
    }

    /** The stable code, e.g. {@code module_event}. */
    public String code() {
        return code;
    }
}
