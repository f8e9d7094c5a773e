package io.dpstwin.testkit.adt.events;

import io.dpstwin.testkit.adt.AdtServiceException;
import io.dpstwin.testkit.internal.Wire;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * The endpoints and event routes of an emulated ADT instance, and the events they delivered.
 *
 * <p>Endpoints are declared up front (in ADT they are created through the control plane, not the data plane this
 * emulator serves): every endpoint keeps what it received, readable with {@link #events(String)}; it may also hand
 * each event to a listener or POST it to a webhook as a structured-mode CloudEvent
 * ({@code Content-Type: application/cloudevents+json}). Routes come and go through the data plane
 * ({@code PUT/GET/DELETE /eventroutes/{id}}), with ADT's checks: an endpoint the instance does not have is 400
 * {@code EventRouteEndpointInvalid}, a malformed filter 400 {@code EventRouteFilterInvalid}, a seventh route 400
 * {@code LimitExceeded}, a missing route 404 {@code EventRouteNotFound}
 * (https://learn.microsoft.com/rest/api/digital-twins/dataplane/event-routes).
 *
 * <p>Every change of a twin or relationship and every published telemetry message passes each route's filter;
 * each route that lets it pass delivers it to its endpoint (two routes to one endpoint deliver twice, as in ADT).
 * Events are recorded at once and in order; listeners and webhooks are called in order on one background thread.
 * Unlike ADT, a new or changed route applies at once. Thread-safe.
 */
public final class EventRoutes {

    /** ADT's limit of event routes per instance (https://learn.microsoft.com/azure/digital-twins/reference-service-limits). */
    public static final int MAX_ROUTES = 6;

    private static final Logger LOG = LoggerFactory.getLogger(EventRoutes.class);
    private static final String DOCS = " See event route documentation (http://aka.ms/ADTv2Routes).";

    /** An event route: where events go ({@code endpointName}) and which ({@code filter}). */
    public record Route(String id, String endpointName, String filter) {
    }

    private record Endpoint(String name, Consumer<DigitalTwinsEvent> listener, URI webhook) {
    }

    private record ActiveRoute(Route route, RouteFilter filter) {
    }

    private final Map<String, Endpoint> endpoints = new LinkedHashMap<>();
    private final Map<String, ActiveRoute> routes = new LinkedHashMap<>();
    private final Map<String, List<DigitalTwinsEvent>> received = new LinkedHashMap<>();
    private final AtomicLong webhookFailures = new AtomicLong();
    private ExecutorService dispatcher;
    private HttpClient http;

    /** No endpoints, no routes. */
    public EventRoutes() {
    }

    // ------------------------------------------------------------------------------------------------ endpoints

    /** Declares an endpoint that keeps what it receives (see {@link #events(String)}). */
    public EventRoutes endpoint(String name) {
        return declare(new Endpoint(requireName(name), null, null));
    }

    /** Declares an endpoint that keeps what it receives and hands each event to {@code listener}, in order. */
    public EventRoutes endpoint(String name, Consumer<DigitalTwinsEvent> listener) {
        return declare(new Endpoint(requireName(name), Objects.requireNonNull(listener, "listener"), null));
    }

    /**
     * Declares an endpoint that keeps what it receives and POSTs each event, in order, to {@code url} as a
     * structured-mode CloudEvent. A failed POST is logged and counted ({@link #webhookFailures()}), not retried.
     */
    public EventRoutes webhookEndpoint(String name, URI url) {
        Objects.requireNonNull(url, "url");
        if (!"http".equals(url.getScheme()) && !"https".equals(url.getScheme())) {
            throw new IllegalArgumentException("a webhook URL must be http or https, was " + url.getScheme());
        }
        return declare(new Endpoint(requireName(name), null, url));
    }

    private synchronized EventRoutes declare(Endpoint endpoint) {
        endpoints.put(endpoint.name(), endpoint);
        received.computeIfAbsent(endpoint.name(), n -> new ArrayList<>());
        return this;
    }

    /** The names of the declared endpoints. */
    public synchronized Set<String> endpointNames() {
        return Set.copyOf(endpoints.keySet());
    }

    private static String requireName(String name) {
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException("an endpoint needs a name");
        }
        return name;
    }

    // ------------------------------------------------------------------------------------------------ routes

    /**
     * Creates or replaces a route.
     *
     * @throws AdtServiceException 400 {@code EventRouteIdInvalid}, {@code EventRouteEndpointInvalid},
     *                             {@code EventRouteFilterInvalid} or {@code LimitExceeded}
     */
    public synchronized void put(String id, String endpointName, String filter) {
        if (id == null || id.isBlank() || id.chars().anyMatch(Character::isISOControl)) {
            throw new AdtServiceException(400, "EventRouteIdInvalid", "The event route id is invalid: it is empty "
                    + "or holds control characters." + DOCS);
        }
        if (endpointName == null || !endpoints.containsKey(endpointName)) {
            throw new AdtServiceException(400, "EventRouteEndpointInvalid", "The endpoint provided does not exist or "
                    + "is not active. Check that your endpoint is provisioned correctly." + DOCS);
        }
        if (filter == null || filter.isBlank()) {
            throw new AdtServiceException(400, "EventRouteFilterInvalid", "The provided filter is invalid. A route "
                    + "needs a filter; 'true' lets every event pass." + DOCS);
        }
        RouteFilter parsed;
        try {
            parsed = RouteFilter.parse(filter);
        } catch (RouteFilter.RouteFilterException e) {
            throw new AdtServiceException(400, "EventRouteFilterInvalid", "The provided filter is invalid. "
                    + e.getMessage() + ". See event route documentation for supported values and structure "
                    + "(http://aka.ms/ADTv2Routes).");
        }
        if (!routes.containsKey(id) && routes.size() >= MAX_ROUTES) {
            throw new AdtServiceException(400, "LimitExceeded", "The maximum number of event routes allowed ("
                    + MAX_ROUTES + ") has been reached." + DOCS);
        }
        routes.put(id, new ActiveRoute(new Route(id, endpointName, filter), parsed));
    }

    /** The route of that id. */
    public synchronized Optional<Route> get(String id) {
        return Optional.ofNullable(routes.get(id)).map(ActiveRoute::route);
    }

    /** Deletes a route; whether it existed. */
    public synchronized boolean delete(String id) {
        return routes.remove(id) != null;
    }

    /** Every route, in creation order. */
    public synchronized List<Route> routes() {
        return routes.values().stream().map(ActiveRoute::route).toList();
    }

    /** The 404 ADT answers for a route it does not have. */
    public static AdtServiceException routeNotFound() {
        return new AdtServiceException(404, "EventRouteNotFound", "There is no route available that matches the "
                + "provided input. Check for all valid event routes by calling EventRoute_List. See Swagger example "
                + "(https://aka.ms/RouteSwSmpl).");
    }

    // ------------------------------------------------------------------------------------------------ delivery

    /** Routes an event: each route whose filter it passes delivers it to the route's endpoint. */
    public void publish(DigitalTwinsEvent event) {
        List<Endpoint> targets = new ArrayList<>();
        synchronized (this) {
            for (ActiveRoute route : routes.values()) {
                if (route.filter().matches(event)) {
                    Endpoint endpoint = endpoints.get(route.route().endpointName());
                    received.get(endpoint.name()).add(event);
                    if (endpoint.listener() != null || endpoint.webhook() != null) {
                        targets.add(endpoint);
                    }
                }
            }
            if (!targets.isEmpty()) {
                dispatcher().execute(() -> targets.forEach(endpoint -> deliver(endpoint, event)));
            }
        }
    }

    private void deliver(Endpoint endpoint, DigitalTwinsEvent event) {
        if (endpoint.listener() != null) {
            try {
                endpoint.listener().accept(event);
            } catch (RuntimeException e) {
                LOG.warn("The listener of endpoint {} failed on event {}", endpoint.name(), event.id(), e);
            }
            return;
        }
        try {
            HttpRequest request = HttpRequest.newBuilder(endpoint.webhook())
                    .timeout(Duration.ofSeconds(30))
                    .header("Content-Type", "application/cloudevents+json; charset=utf-8")
                    .POST(HttpRequest.BodyPublishers.ofByteArray(Wire.MAPPER.writeValueAsBytes(event.toCloudEvent())))
                    .build();
            HttpResponse<Void> response = http().send(request, HttpResponse.BodyHandlers.discarding());
            if (response.statusCode() / 100 != 2) {
                webhookFailures.incrementAndGet();
                LOG.warn("Endpoint {} answered {} to event {} (host {})", endpoint.name(), response.statusCode(),
                        event.id(), endpoint.webhook().getHost());
            }
        } catch (IOException | RuntimeException e) {
            webhookFailures.incrementAndGet();
            LOG.warn("Endpoint {} could not be reached for event {} (host {}): {}", endpoint.name(), event.id(),
                    endpoint.webhook().getHost(), e.toString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private synchronized ExecutorService dispatcher() {
        if (dispatcher == null) {
            dispatcher = Executors.newSingleThreadExecutor(runnable -> {
                Thread thread = new Thread(runnable, "adt-emulator-events");
                thread.setDaemon(true);
                return thread;
            });
        }
        return dispatcher;
    }

    private synchronized HttpClient http() {
        if (http == null) {
            http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
        }
        return http;
    }

    /**
     * Waits until the listeners and webhooks have been handed every event routed so far.
     *
     * @return whether that happened within {@code timeout}
     */
    public boolean awaitDelivery(Duration timeout) {
        ExecutorService executor;
        synchronized (this) {
            executor = dispatcher;
        }
        if (executor == null) {
            return true;
        }
        try {
            executor.submit(() -> { }).get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            return true;
        } catch (TimeoutException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        } catch (ExecutionException e) {
            throw new IllegalStateException("the event dispatcher failed", e.getCause());
        }
    }

    /** What an endpoint received so far, in order. */
    public synchronized List<DigitalTwinsEvent> events(String endpointName) {
        List<DigitalTwinsEvent> events = received.get(endpointName);
        if (events == null) {
            throw new IllegalArgumentException("no endpoint " + endpointName + " is declared (declared: "
                    + endpoints.keySet() + ")");
        }
        return List.copyOf(events);
    }

    /** How many webhook POSTs failed (no answer, or a status other than 2xx). */
    public long webhookFailures() {
        return webhookFailures.get();
    }

    /** Forgets what the endpoints received. */
    public synchronized void clearEvents() {
        received.values().forEach(List::clear);
        webhookFailures.set(0);
    }

    /** Deletes every route and forgets what the endpoints received; the endpoints stay. */
    public synchronized void reset() {
        routes.clear();
        clearEvents();
    }
}
