package io.dpstwin.core.allocation;

import io.dpstwin.core.DpsTwinMeters;
import io.dpstwin.core.support.Text;
import io.dpstwin.core.internal.support.Identifiers;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.dpstwin.core.WebhookResponse;
import io.dpstwin.core.support.Redaction;
import io.dpstwin.core.internal.support.SafeObservations;
import io.dpstwin.core.twins.AdtErrorCodes;
import io.dpstwin.core.twins.AdtException;
import io.dpstwin.core.twins.DigitalTwin;
import io.dpstwin.core.twins.DigitalTwinsGateway;
import io.dpstwin.core.twins.Dtmi;
import io.dpstwin.core.twins.EnsuredTwin;
import io.dpstwin.core.internal.twins.FindOrCreateTwin;
import io.dpstwin.core.twins.ModelMismatchException;
import io.dpstwin.core.twins.Relationship;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Metrics;
import io.micrometer.core.instrument.Timer;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * The DPS custom allocation webhook, host-neutral: raw request body in, HTTP status and JSON body out. Adapters
 * (Azure Functions, Spring) pass the body and copy the {@link WebhookResponse} back unchanged.
 *
 * <p>The flow: size check (413 above {@link AllocationOptions#maxBodyBytes()}, before parsing) → strict parse and
 * validation (registration id, {@code linkedHubs}, types) → hub selection (always one of {@code linkedHubs}) →
 * model resolution (payload {@code modelId}, enrollment default, global default; DTMI syntax; allow-list) → twin
 * id → placement parent check → find-or-create of the twin ({@link FindOrCreateTwin}: GET, PUT
 * {@code If-None-Match: *}, GET on 412, never a query) → placement relationship → answer with
 * {@code iotHubHostName}, {@code initialTwin} (tags {@code dtId}, {@code dtmi}, merged over the enrollment's
 * initial twin) and an optional {@code payload}.
 *
 * <p>Answers: 200 with the allocation; 400 for permanent rejections (DPS fails the registration); 413 for an
 * oversized body; 429 (with {@code Retry-After} when ADT sent one) when ADT throttles and 503 when ADT fails
 * transiently, so that DPS retries (it retries only on status ≥ 429); 503 with a correlation id for unexpected
 * failures. Every error body is {@code {"error":{"code":"...","message":"...","correlationId":"..."}}} with a code
 * of {@link AllocationErrorCodes}. The handler never throws, never answers 500, never puts a stack trace or class
 * name in a body, and writes nothing to ADT for a request it rejects before find-or-create.
 *
 * <p>Metrics: counter {@value #DpsTwinMeters.ALLOCATIONS} (tags {@code outcome} = allocated | rejected | too_large |
 * throttled | unavailable, {@code reason} = snake-case error code, or the twin outcome created | found |
 * kept_other_model | migrated) and timer {@value #DpsTwinMeters.ALLOCATION_DURATION} (tag {@code outcome}). Logs never contain the
 * body, attestation data or keys; TRACE shows the request {@linkplain Redaction redacted}.
 *
 * <p>Thread-safe; build one per process.
 */
public final class DpsAllocationHandler {

    /**
     * The Micrometer Observation around each request (span name {@code dps allocation}): low-cardinality keys
     * {@code outcome} and {@code reason} (as the counter's tags), high-cardinality keys {@code http.status},
     * {@code correlation.id} and, when known, {@code registration.id}, {@code iothub}, {@code model.id},
     * {@code twin.id}.
     */
    public static final String OBSERVATION = "dpstwin.allocation";

    private static final Logger LOG = LoggerFactory.getLogger(DpsAllocationHandler.class);
    private static final int MAX_PLACEMENT_ROUNDS = 3;
    private static final int MAX_ADT_MESSAGE_LENGTH = 300;

    private final DigitalTwinsGateway gateway;
    private final AllocationOptions options;
    private final FindOrCreateTwin findOrCreate;
    private final MeterRegistry meterRegistry;
    private final ObservationRegistry observations;
    private final Map<String, OutcomeMeters> meters = new ConcurrentHashMap<>();

    /**
     * @param gateway       the ADT gateway (one per process)
     * @param options       the allocation options
     * @param meterRegistry where the metrics go
     */
    public DpsAllocationHandler(DigitalTwinsGateway gateway, AllocationOptions options, MeterRegistry meterRegistry) {
        this(gateway, options, meterRegistry, ObservationRegistry.NOOP);
    }

    /**
     * @param gateway             the ADT gateway (one per process)
     * @param options             the allocation options
     * @param meterRegistry       where the metrics go
     * @param observationRegistry where the {@value #OBSERVATION} observation of each request goes
     */
    public DpsAllocationHandler(DigitalTwinsGateway gateway, AllocationOptions options, MeterRegistry meterRegistry,
                                ObservationRegistry observationRegistry) {
        this.gateway = Objects.requireNonNull(gateway, "gateway");
        this.options = Objects.requireNonNull(options, "options");
        this.meterRegistry = Objects.requireNonNull(meterRegistry, "meterRegistry");
        this.observations = Objects.requireNonNull(observationRegistry, "observationRegistry");
        this.findOrCreate = new FindOrCreateTwin(gateway, options.modelMismatchPolicy());
    }

    /** A handler whose metrics go to Micrometer's {@link Metrics#globalRegistry}. */
    public DpsAllocationHandler(DigitalTwinsGateway gateway, AllocationOptions options) {
        this(gateway, options, Metrics.globalRegistry);
    }

    public AllocationOptions options() {
        return options;
    }

    /** Handles a request body given as text (encoded as UTF-8 for the size limit). Never throws. */
    public WebhookResponse handle(String body) {
        return handle(body == null ? new byte[0] : body.getBytes(StandardCharsets.UTF_8));
    }

    /** Handles a raw request body. Never throws; never answers 500. */
    @SuppressWarnings("try") // the scope only puts the observation in context; nothing reads it
    public WebhookResponse handle(byte[] body) {
        long start = System.nanoTime();
        Trail trail = new Trail();
        Observation observation = SafeObservations.start(OBSERVATION, "dps allocation", observations);
        Result result;
        Throwable failure = null;
        try (Observation.Scope scope = SafeObservations.openScope(observation)) {
            result = process(body == null ? new byte[0] : body, trail);
        } catch (Throwable unexpected) { // NOPMD - the webhook must answer whatever happens
            failure = unexpected;
            result = internalError(unexpected, trail);
        }
        recordMetrics(result, System.nanoTime() - start);
        Result answered = result;
        SafeObservations.stop(observation, o -> trail.describe(o
                .lowCardinalityKeyValue("outcome", answered.outcome())
                .lowCardinalityKeyValue("reason", answered.reason())
                .highCardinalityKeyValue("http.status", Integer.toString(answered.response().status()))), failure);
        return result.response();
    }

    private void recordMetrics(Result result, long nanos) {
        try {
            meters.computeIfAbsent(result.outcome() + ' ' + result.reason(), key -> new OutcomeMeters(
                    Counter.builder(DpsTwinMeters.ALLOCATIONS)
                            .description("DPS allocation requests by outcome")
                            .tag("outcome", result.outcome())
                            .tag("reason", result.reason())
                            .register(meterRegistry),
                    Timer.builder(DpsTwinMeters.ALLOCATION_DURATION)
                            .description("Time to answer a DPS allocation request")
                            .tag("outcome", result.outcome())
                            .register(meterRegistry)))
                    .record(nanos);
        } catch (RuntimeException e) {
            LOG.warn("Could not record allocation metrics: {}", e.toString());
        }
    }

    /** The counter and timer of one outcome and reason, registered on first use (the tag values are few). */
    private record OutcomeMeters(Counter counter, Timer timer) {
        void record(long nanos) {
            counter.increment();
            timer.record(nanos, TimeUnit.NANOSECONDS);
        }
    }

    private Result process(byte[] body, Trail trail) {
        if (body.length > options.maxBodyBytes()) {
            String message = "request body has " + body.length + " bytes; at most " + options.maxBodyBytes()
                    + " bytes are accepted (the DPS message size limit is 96 KB)";
            LOG.warn("Rejected allocation request of {} bytes: too large [correlationId={}]", body.length,
                    trail.correlationId());
            return new Result(error(413, AllocationErrorCodes.BODY_TOO_LARGE, message, trail.correlationId(), Map.of()),
                    "too_large", AllocationErrorCodes.toReasonTag(AllocationErrorCodes.BODY_TOO_LARGE));
        }
        try {
            AllocationRequestParser.Parsed parsed = AllocationRequestParser.parse(body);
            if (LOG.isTraceEnabled()) {
                LOG.trace("Allocation request (redacted) [correlationId={}]: {}", trail.correlationId(),
                        Redaction.redact(withPayloadValuesMasked(parsed.tree())));
            }
            AllocationRequest request = parsed.request();
            validate(request);
            trail.registrationId = request.registrationId();
            if (parsed.payloadUnwrapped() && LOG.isDebugEnabled()) {
                LOG.debug("Device payload of registration {} arrived as a JSON string holding an object (as az iot"
                        + " device registration create and the Java provisioning SDK send it); read as that object"
                        + " [correlationId={}]", request.registrationId(), trail.correlationId());
            }
            if (LOG.isDebugEnabled()) {
                LOG.debug("Allocation request for registration {} (device {}, {}, {} linked hubs, current hub {},"
                                + " attestation {}, payload keys {})",
                        request.registrationId(), request.deviceId(),
                        request.enrollmentRef().map(Object::toString).orElse("no enrollment"),
                        request.linkedHubs().size(), request.currentHub().orElse("none"),
                        request.deviceRuntimeContext().attestationType(),
                        request.deviceRuntimeContext().payloadOrEmpty().keySet());
            }
            return allocate(request, trail);
        } catch (AllocationRejectedException e) {
            return rejected(e.code(), e.getMessage(), trail);
        } catch (ModelMismatchException e) {
            return rejected(AllocationErrorCodes.MODEL_MISMATCH, e.getMessage(), trail);
        } catch (AdtException e) {
            return adtFailure(e, trail);
        }
    }

    /**
     * The device payload is the device's own data: a secret in it may sit under any key name, so the TRACE dump shows
     * its keys and its {@code modelId} only.
     */
    private static JsonNode withPayloadValuesMasked(JsonNode tree) {
        JsonNode payload = tree.path("deviceRuntimeContext").path("payload");
        if (!payload.isObject()) {
            return tree;
        }
        JsonNode copy = tree.deepCopy();
        ObjectNode maskedPayload = (ObjectNode) copy.path("deviceRuntimeContext").path("payload");
        List<String> names = new ArrayList<>();
        maskedPayload.fieldNames().forEachRemaining(names::add);
        for (String name : names) {
            if (!"modelId".equals(name)) {
                maskedPayload.put(name, Redaction.MASK);
            }
        }
        return copy;
    }

    // ---------------------------------------------------------------- validation

    private void validate(AllocationRequest request) {
        DeviceRuntimeContext context = request.deviceRuntimeContext();
        if (context == null) {
            throw missing("deviceRuntimeContext");
        }
        if (context.registrationId() == null) {
            throw missing("deviceRuntimeContext.registrationId");
        }
        Identifiers.registrationIdProblem(context.registrationId(), options.acceptUppercaseRegistrationIds())
                .ifPresent(problem -> {
                    throw new AllocationRejectedException(AllocationErrorCodes.INVALID_REGISTRATION_ID, problem);
                });
        if (request.linkedHubs() == null) {
            throw missing("linkedHubs");
        }
        if (request.linkedHubs().isEmpty()) {
            throw new AllocationRejectedException(AllocationErrorCodes.NO_LINKED_HUBS,
                    "linkedHubs is empty: no IoT hub is linked to the enrollment, so the device cannot be assigned");
        }
        List<String> hubs = request.linkedHubs();
        for (int i = 0; i < hubs.size(); i++) {
            String hub = hubs.get(i);
            if (hub == null || hub.isBlank() || !hub.equals(hub.strip())) {
                throw new AllocationRejectedException(AllocationErrorCodes.INVALID_LINKED_HUB,
                        "linkedHubs[" + i + "] must be an IoT hub host name, got "
                                + (hub == null ? "null" : "'" + Identifiers.shown(hub) + "'"));
            }
        }
        if (request.enrollmentGroup() != null && request.individualEnrollment() != null) {
            throw new AllocationRejectedException(AllocationErrorCodes.AMBIGUOUS_ENROLLMENT,
                    "the request names both an enrollmentGroup and an individualEnrollment; DPS sends exactly one");
        }
        if (request.enrollmentGroup() != null && isBlank(request.enrollmentGroup().enrollmentGroupId())) {
            throw missing("enrollmentGroup.enrollmentGroupId");
        }
        IndividualEnrollment individual = request.individualEnrollment();
        if (individual != null) {
            if (isBlank(individual.registrationId())) {
                throw missing("individualEnrollment.registrationId");
            }
            if (individual.deviceId() != null && !individual.deviceId().isEmpty()) {
                Identifiers.deviceIdProblem(individual.deviceId()).ifPresent(problem -> {
                    throw new AllocationRejectedException(AllocationErrorCodes.INVALID_DEVICE_ID,
                            "individualEnrollment." + problem);
                });
            }
        }
    }

    private static boolean isBlank(String value) {
        return value == null || value.isBlank();
    }

    private static AllocationRejectedException missing(String field) {
        return new AllocationRejectedException(AllocationErrorCodes.MISSING_FIELD, field + " is missing");
    }

    // ---------------------------------------------------------------- the flow

    private Result allocate(AllocationRequest request, Trail trail) {
        String hub = selectHub(request);
        trail.hub = hub;
        String modelId = resolveModel(request);
        trail.modelId = modelId;
        String deviceId = request.deviceId();
        String twinId = options.twinIdStrategy().twinIdFor(deviceId);
        if (twinId == null || twinId.isBlank()) {
            throw new IllegalStateException("the twin id strategy returned no twin id");
        }
        trail.twinId = twinId;

        ParentTarget parent = resolveParent(request, twinId);
        if (parent != null && parent.placement().missingParentPolicy() == MissingParentPolicy.REJECT
                && gateway.getTwin(parent.twinId()).isEmpty()) {
            throw parentNotFound(parent.twinId(), false);
        }

        Map<String, Object> initialProperties = options.initialProperties().initialProperties(modelId, request);
        EnsuredTwin ensured = findOrCreate.ensureTwin(twinId, modelId,
                initialProperties == null ? Map.of() : initialProperties);

        String placedUnder;
        try {
            placedUnder = parent == null ? null : place(parent, ensured, twinId);
        } catch (AllocationRejectedException | AdtException e) {
            boolean refusedForGood = !(e instanceof AdtException adt && adt.isTransient());
            if (refusedForGood && ensured.outcome() == EnsuredTwin.Outcome.CREATED) {
                withdrawCreatedTwin(ensured.twin(), e);
            }
            throw e;
        }

        Allocation allocation = new Allocation(request.registrationId(), deviceId, hub, twinId,
                ensured.twin().modelId(), ensured.outcome(), placedUnder);
        AllocationResponse response = answer(request, allocation);
        String json = ResponseWriter.write(response);
        String twinOutcome = ensured.outcome().name().toLowerCase(Locale.ROOT);
        LOG.info("Allocated registration {} (device {}) to hub {}: twin {} of model {} ({}){}",
                allocation.registrationId(), deviceId, hub, twinId, allocation.modelId(), twinOutcome,
                placedUnder == null ? "" : ", placed under " + placedUnder);
        return new Result(new WebhookResponse(200, json), "allocated", twinOutcome);
    }

    private String selectHub(AllocationRequest request) {
        String selected = options.hubSelection().selectHub(request);
        if (selected != null) {
            for (String hub : request.linkedHubs()) {
                if (hub.equalsIgnoreCase(selected)) {
                    return hub;
                }
            }
        }
        throw new IllegalStateException("hub selection policy " + options.hubSelection() + " chose "
                + (selected == null ? "no hub" : "'" + Identifiers.shown(selected) + "'")
                + ", which is not one of linkedHubs " + request.linkedHubs());
    }

    private String resolveModel(AllocationRequest request) {
        Optional<String> resolved = options.effectiveModelResolver().resolveModel(request);
        if (resolved == null || resolved.isEmpty()) {
            throw new AllocationRejectedException(AllocationErrorCodes.NO_MODEL,
                    "no model for the device: the payload has no modelId and "
                            + request.enrollmentRef().map(Object::toString).orElse("the request")
                            + " has no default model configured");
        }
        String modelId = resolved.get();
        if (!Dtmi.isValid(modelId)) {
            String problem;
            try {
                Dtmi.requireValid(modelId);
                problem = "'" + Identifiers.shown(modelId) + "' is not a valid DTMI";
            } catch (IllegalArgumentException e) {
                problem = e.getMessage();
            }
            throw new AllocationRejectedException(AllocationErrorCodes.INVALID_MODEL_ID, problem);
        }
        Optional<Set<String>> allowed = options.allowedModelsFor(request.enrollmentRef());
        if (allowed.isPresent() && !allowed.get().contains(modelId)) {
            throw new AllocationRejectedException(AllocationErrorCodes.MODEL_NOT_ALLOWED,
                    "model " + modelId + " is not allowed for "
                            + request.enrollmentRef().map(Object::toString).orElse("devices without enrollment")
                            + "; allowed: " + allowed.get().stream().sorted().toList());
        }
        return modelId;
    }

    private record ParentTarget(Placement placement, String twinId) {
    }

    private ParentTarget resolveParent(AllocationRequest request, String deviceTwinId) {
        Optional<Placement> configured = options.placement();
        if (configured.isEmpty()) {
            return null;
        }
        Placement placement = configured.get();
        Optional<String> parentId = placement.parentResolver().parentTwinId(request);
        if (parentId == null || parentId.isEmpty()) {
            LOG.debug("No parent twin for registration {}; the twin is not placed", request.registrationId());
            return null;
        }
        String parent = parentId.get();
        Identifiers.deviceChosenTwinIdProblem(parent).ifPresent(problem -> {
            throw new AllocationRejectedException(AllocationErrorCodes.INVALID_PARENT_TWIN_ID, "parent " + problem);
        });
        if (parent.equals(deviceTwinId)) {
            throw new AllocationRejectedException(AllocationErrorCodes.INVALID_PARENT_TWIN_ID,
                    "parent twin '" + Identifiers.shown(parent) + "' is the device's own twin");
        }
        return new ParentTarget(placement, parent);
    }

    /** Creates the placement relationship idempotently; returns the parent, or {@code null} when skipped. */
    private String place(ParentTarget parent, EnsuredTwin ensured, String twinId) {
        Placement placement = parent.placement();
        String relationshipId = placement.relationshipIdFor(twinId);
        Relationship wanted = Relationship.of(relationshipId, parent.twinId(), twinId, placement.relationshipName());
        // A twin created just now cannot have the relationship yet; an existing one usually has it: read first.
        boolean readFirst = ensured.outcome() != EnsuredTwin.Outcome.CREATED;
        for (int round = 1; round <= MAX_PLACEMENT_ROUNDS; round++) {
            if (readFirst) {
                Optional<Relationship> existing = gateway.getRelationship(parent.twinId(), relationshipId);
                if (existing.isPresent()) {
                    requireSamePlacement(existing.get(), wanted);
                    return parent.twinId();
                }
            }
            try {
                gateway.createRelationshipIfAbsent(wanted);
                LOG.debug("Created relationship {} from {} to {}", relationshipId, parent.twinId(), twinId);
                return parent.twinId();
            } catch (AdtException e) {
                if (e.isPreconditionFailed()) {
                    readFirst = true; // someone created it first (or a retried PUT of ours did): verify it
                    continue;
                }
                if (e.isNotFound() && AdtErrorCodes.DIGITAL_TWIN_NOT_FOUND.equals(e.errorCode())) {
                    if (placement.missingParentPolicy() == MissingParentPolicy.SKIP) {
                        LOG.warn("Parent twin {} of twin {} does not exist; allocating without placement"
                                + " (missing-parent policy SKIP)", parent.twinId(), twinId);
                        return null;
                    }
                    throw parentNotFound(parent.twinId(), true);
                }
                if (e.isTargetTwinNotFound()) {
                    throw new AdtException(503, AdtErrorCodes.SERVICE_UNAVAILABLE, "twin '" + twinId
                            + "' disappeared while it was being placed; try again", e.retryAfter().orElse(null), e);
                }
                throw e;
            }
        }
        throw new AdtException(503, AdtErrorCodes.SERVICE_UNAVAILABLE, "relationship '" + relationshipId
                + "' kept appearing and disappearing while it was being created; try again");
    }

    /**
     * The placement was refused for good (400) after this request created the device twin: delete that twin, so a
     * refused registration leaves nothing behind. Only with the etag it was created with, so a twin someone has
     * written to since is kept; a failed delete is logged and left to the reconciler. A transient failure keeps the
     * twin on purpose: DPS retries and the retry finds it.
     */
    private void withdrawCreatedTwin(DigitalTwin created, Exception refusal) {
        if (created.etag() == null) {
            LOG.warn("Twin {} was created for a registration whose placement was refused, and is kept: without its"
                    + " etag it cannot be deleted safely; the reconciler removes it", created.id());
            return;
        }
        try {
            gateway.deleteTwin(created.id(), created.etag());
            LOG.info("Deleted twin {} again: it was created for a registration whose placement was refused ({})",
                    created.id(), logSafe(refusal.getMessage()));
        } catch (AdtException | IllegalArgumentException e) {
            LOG.warn("Could not delete twin {} after its placement was refused ({}); the reconciler removes it"
                    + " once its grace window has passed", created.id(), logSafe(e.getMessage()));
        }
    }

    private static void requireSamePlacement(Relationship existing, Relationship wanted) {
        if (!existing.targetId().equals(wanted.targetId()) || !existing.name().equals(wanted.name())) {
            throw new AllocationRejectedException(AllocationErrorCodes.PLACEMENT_CONFLICT,
                    "relationship '" + wanted.id() + "' of twin '" + wanted.sourceId() + "' exists as '"
                            + existing.name() + "' to twin '" + existing.targetId() + "', not as '" + wanted.name()
                            + "' to twin '" + wanted.targetId() + "'");
        }
    }

    private static AllocationRejectedException parentNotFound(String parentId, boolean twinWritten) {
        return new AllocationRejectedException(AllocationErrorCodes.PARENT_TWIN_NOT_FOUND,
                "parent twin '" + parentId + "' does not exist"
                        + (twinWritten ? " (it was deleted while the device twin was being created)" : "")
                        + "; the missing-parent policy is REJECT");
    }

    private AllocationResponse answer(AllocationRequest request, Allocation allocation) {
        Map<String, Object> tags = new LinkedHashMap<>(options.initialTwinTags());
        tags.put(AllocationOptions.TAG_TWIN_ID, allocation.twinId());
        tags.put(AllocationOptions.TAG_MODEL_ID, allocation.modelId());
        Map<String, Object> desired = options.initialTwinDesiredProperties();
        InitialTwin enrollmentTwin = request.enrollment().map(Enrollment::initialTwin).orElse(null);
        if (options.mergeEnrollmentInitialTwin() && enrollmentTwin != null) {
            tags = JsonValues.deepMerge(enrollmentTwin.tagsOrEmpty(), tags);
            desired = JsonValues.deepMerge(enrollmentTwin.desiredProperties(), desired);
        }
        Map<String, Object> payload = options.devicePayload().payloadFor(allocation, request);
        return new AllocationResponse(allocation.iotHubHostName(), InitialTwin.of(tags, desired),
                payload == null || payload.isEmpty() ? null : payload);
    }

    // ---------------------------------------------------------------- answers

    private Result rejected(String code, String message, Trail trail) {
        LOG.warn("Rejected allocation of registration {}: {} {} [correlationId={}]", trail.describeRegistration(),
                code, logSafe(message), trail.correlationId());
        return new Result(error(400, code, message, trail.correlationId(), Map.of()), "rejected",
                AllocationErrorCodes.toReasonTag(code));
    }

    private Result adtFailure(AdtException e, Trail trail) {
        String adt = (e.statusCode() == 0 ? "no answer" : String.valueOf(e.statusCode())) + " " + e.errorCode();
        if (!e.isTransient()) {
            String message = "Azure Digital Twins refused the request: " + adt + ": "
                    + abbreviateMessage(e.getMessage());
            return rejected(AllocationErrorCodes.ADT_REJECTED, message, trail);
        }
        Map<String, String> headers = e.retryAfter()
                .map(delay -> Map.of("Retry-After", String.valueOf(ceilSeconds(delay))))
                .orElse(Map.of());
        boolean throttled = e.isThrottled();
        String code = throttled ? AllocationErrorCodes.ADT_THROTTLED : AllocationErrorCodes.ADT_UNAVAILABLE;
        String message = throttled
                ? "Azure Digital Twins is throttling requests (" + adt + "); DPS retries the allocation"
                : "Azure Digital Twins failed transiently (" + adt + "); DPS retries the allocation";
        LOG.warn("Allocation of registration {} (hub {}, model {}, twin {}) failed transiently: {}: {}"
                        + " [correlationId={}]", trail.describeRegistration(), trail.hub, trail.modelId, trail.twinId,
                adt, logSafe(e.getMessage()), trail.correlationId());
        return new Result(error(throttled ? 429 : 503, code, message, trail.correlationId(), headers),
                throttled ? "throttled" : "unavailable", AllocationErrorCodes.toReasonTag(code));
    }

    private Result internalError(Throwable unexpected, Trail trail) {
        try {
            LOG.error("Allocation of registration {} failed unexpectedly [correlationId={}]",
                    trail.describeRegistration(), trail.correlationId(), unexpected);
        } catch (Throwable ignored) { // NOPMD - a broken logger must not turn the answer into a 500
            // nothing left to do: the answer below still carries the correlation id
        }
        return new Result(error(503, AllocationErrorCodes.INTERNAL_ERROR,
                "the allocation failed unexpectedly; DPS retries it. Quote correlation id " + trail.correlationId()
                        + " when reporting the problem", trail.correlationId(), Map.of()),
                "unavailable", AllocationErrorCodes.toReasonTag(AllocationErrorCodes.INTERNAL_ERROR));
    }

    private static WebhookResponse error(int status, String code, String message, String correlationId,
                                         Map<String, String> headers) {
        return WebhookResponse.error(status, code, message, headers, correlationId);
    }

    private static long ceilSeconds(Duration delay) {
        long seconds = delay.getSeconds();
        return delay.getNano() > 0 ? seconds + 1 : Math.max(0, seconds);
    }

    private static String abbreviateMessage(String message) {
        return message == null ? "(no message)" : Text.clip(message, MAX_ADT_MESSAGE_LENGTH);
    }

    /** A message as it may enter a log line: no control characters, no secrets. */
    private static String logSafe(String message) {
        return message == null ? "" : Redaction.redactText(Text.printable(message, Integer.MAX_VALUE));
    }

    private record Result(WebhookResponse response, String outcome, String reason) {
    }

    /** What is known about the request so far, for logs. */
    private static final class Trail {
        private String correlationId;
        String registrationId;
        String hub;
        String modelId;
        String twinId;

        /**
         * The request's correlation id, made when first needed: an answer that carries it (every error), a log line
         * that quotes it, or an observation that records it. A request answered 200 without any of those needs none.
         */
        String correlationId() {
            if (correlationId == null) {
                correlationId = UUID.randomUUID().toString();
            }
            return correlationId;
        }

        /** Adds what is known as high-cardinality key values (ids and names only, never payload values). */
        void describe(Observation observation) {
            if (observation.isNoop()) {
                return;
            }
            observation.highCardinalityKeyValue("correlation.id", correlationId());
            if (registrationId != null) {
                observation.highCardinalityKeyValue("registration.id", registrationId);
            }
            if (hub != null) {
                observation.highCardinalityKeyValue("iothub", hub);
            }
            if (modelId != null) {
                observation.highCardinalityKeyValue("model.id", modelId);
            }
            if (twinId != null) {
                observation.highCardinalityKeyValue("twin.id", twinId);
            }
        }

        String describeRegistration() {
            return registrationId == null ? "(invalid or unknown)" : registrationId;
        }
    }
}
