package io.dpstwin.testkit.dps.emulator;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Function;

/**
 * A custom allocation webhook on loopback HTTP for tests: answers each registration id with the answers scripted
 * for it, in order (the last one repeats), and records every request body exactly as received. Thread-safe.
 */
final class ScriptedWebhook implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** One scripted answer: a status and a body computed from the request. */
    record Answer(int status, Function<JsonNode, String> body) {

        static Answer of(int status, String body) {
            return new Answer(status, request -> body);
        }

        /** 200 assigning {@code hub}, with an optional {@code initialTwin} and {@code payload} (JSON text or null). */
        static Answer assign(String hub, String initialTwin, String payload) {
            return of(200, "{\"iotHubHostName\":\"" + hub + "\""
                    + (initialTwin == null ? "" : ",\"initialTwin\":" + initialTwin)
                    + (payload == null ? "" : ",\"payload\":" + payload) + "}");
        }
    }

    private final HttpServer server;
    private final ExecutorService executor = Executors.newFixedThreadPool(4);
    private final Map<String, Deque<Answer>> scripts = new ConcurrentHashMap<>();
    private final Map<String, List<byte[]>> requests = new ConcurrentHashMap<>();

    ScriptedWebhook() {
        try {
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 64);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        server.createContext("/api/allocate", exchange -> {
            try (exchange) {
                byte[] body = exchange.getRequestBody().readAllBytes();
                Answer answer;
                JsonNode request;
                try {
                    request = JSON.readTree(body);
                    String registrationId = request.path("deviceRuntimeContext").path("registrationId").asText();
                    requests.computeIfAbsent(registrationId, k -> new java.util.concurrent.CopyOnWriteArrayList<>())
                            .add(body);
                    answer = next(registrationId);
                } catch (IOException e) {
                    request = null;
                    answer = Answer.of(400, "{\"message\":\"not JSON\"}");
                }
                byte[] out = answer.body().apply(request).getBytes(StandardCharsets.UTF_8);
                exchange.getResponseHeaders().set("Content-Type", "application/json; charset=utf-8");
                exchange.sendResponseHeaders(answer.status(), out.length);
                try (OutputStream os = exchange.getResponseBody()) {
                    os.write(out);
                }
            }
        });
        server.setExecutor(executor);
        server.start();
    }

    private Answer next(String registrationId) {
        Deque<Answer> script = scripts.get(registrationId);
        if (script == null) {
            return Answer.of(404, "{\"message\":\"no script for this registration\"}");
        }
        synchronized (script) {
            return script.size() > 1 ? script.removeFirst() : script.getFirst();
        }
    }

    /** Scripts the answers to {@code registrationId}'s webhook calls (the last one repeats). */
    void script(String registrationId, Answer... answers) {
        scripts.put(registrationId, new ArrayDeque<>(List.of(answers)));
    }

    /** The webhook URL with a function key, as an enrollment stores it. */
    String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/api/allocate?code=function-key";
    }

    /** The request bodies received for {@code registrationId}, raw. */
    List<byte[]> rawRequests(String registrationId) {
        return new ArrayList<>(requests.getOrDefault(registrationId, List.of()));
    }

    /** The request bodies received for {@code registrationId}, parsed. */
    List<JsonNode> requests(String registrationId) {
        List<JsonNode> parsed = new ArrayList<>();
        for (byte[] body : rawRequests(registrationId)) {
            try {
                parsed.add(JSON.readTree(body));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return parsed;
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }
}
