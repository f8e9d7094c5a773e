package io.dpstwin.testkit.eventgrid;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.dpstwin.core.lifecycle.BatchResult;
import io.dpstwin.core.lifecycle.EventGridLifecycleParser;
import io.dpstwin.core.lifecycle.LifecycleProcessor;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A loopback Event Grid webhook for device lifecycle events, doing what an adapter's lifecycle endpoint does: it
 * answers the subscription validation handshake with the {@code validationResponse}, and hands every other delivery
 * (Event Grid schema) to core's parser and then to a {@link LifecycleProcessor}, answering 200 when every event
 * settled and 503 (Event Grid retries) otherwise. Give its {@link #uri()} to
 * {@code IotHubEmulator.pushEventGrid(EventGridPushOptions.webhook(uri))}:
 *
 * <pre>{@code
 * try (LifecycleWebhook webhook = LifecycleWebhook.start(dpsTwin.lifecycle());
 *      EventGridPush push = hubs.pushEventGrid(EventGridPushOptions.webhook(webhook.uri()))) {
 *     registry.removeDevice("thermo-2");
 *     hubs.awaitIdle(Duration.ofSeconds(30));
 * }
 * assertThat(webhook.results()).flatExtracting(BatchResult::outcomes)...
 * }</pre>
 */
public final class LifecycleWebhook implements AutoCloseable {

    /** The path it listens on. */
    public static final String PATH = "/api/lifecycle";

    private final EventGridLifecycleParser parser = new EventGridLifecycleParser();
    private final LifecycleProcessor processor;
    private final List<BatchResult> results = new CopyOnWriteArrayList<>();
    private final HttpServer server;

    private LifecycleWebhook(LifecycleProcessor processor) throws IOException {
        this.processor = Objects.requireNonNull(processor, "processor");
        this.server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext(PATH, this::handle);
        server.start();
    }

    /** Starts a webhook on a free loopback port that hands lifecycle events to {@code processor}. */
    public static LifecycleWebhook start(LifecycleProcessor processor) {
        try {
            return new LifecycleWebhook(processor);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start the lifecycle webhook", e);
        }
    }

    /** Where Event Grid posts: {@code http://localhost:<port>/api/lifecycle}. */
    public URI uri() {
        return URI.create("http://localhost:" + server.getAddress().getPort() + PATH);
    }

    /** The processor's result of each delivery received so far, in order (validation handshakes excluded). */
    public List<BatchResult> results() {
        return List.copyOf(results);
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            Optional<String> validation = parser.subscriptionValidationCode(body);
            String answer = "";
            int status = 200;
            if (validation.isPresent()) {
                answer = "{\"validationResponse\":\"" + validation.get() + "\"}";
            } else {
                BatchResult result = processor.process(parser.parseEventGridSchema(body));
                results.add(result);
                status = result.allSettled() ? 200 : 503;
            }
            byte[] bytes = answer.getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(status, bytes.length == 0 ? -1 : bytes.length);
            if (bytes.length > 0) {
                exchange.getResponseBody().write(bytes);
            }
        }
    }

    /** Stops listening. */
    @Override
    public void close() {
        server.stop(0);
    }
}
