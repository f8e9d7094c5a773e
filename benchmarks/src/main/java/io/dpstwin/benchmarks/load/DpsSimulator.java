package io.dpstwin.benchmarks.load;

import io.dpstwin.core.support.Text;
import io.dpstwin.core.support.Json;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.dpstwin.benchmarks.BenchModels;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Plays DPS: sends each device's allocation request to a webhook with bounded concurrency and retries it, as DPS
 * does, when the webhook answers 429 or more (after {@code Retry-After}, else one second), up to a number of
 * attempts. An answer counts as a success only if it is 200 and assigns the device to the linked hub with its twin
 * id in {@code initialTwin.tags.dtId}.
 */
final class DpsSimulator implements AutoCloseable {

    /** A webhook's answer. */
    record Answer(int status, String body, Optional<Duration> retryAfter) {
    }

    /** The webhook under test: an exception is what a Functions host turns into a 500. */
    @FunctionalInterface
    interface Webhook {
        Answer call(String requestBody) throws Exception;
    }

    /** What a provisioning run did. */
    record Result(int devices, int allocated, int retries, List<String> problems) {

        int failures() {
            return devices - allocated;
        }
    }

    private static final ObjectMapper JSON = Json.MAPPER;
    /** How long DPS waits before it retries an answer without {@code Retry-After}. */
    static final Duration DEFAULT_RETRY_DELAY = Duration.ofSeconds(1);

    private final int maxAttempts;
    private final Duration retryDelay;
    private final ExecutorService dps;

    DpsSimulator(int concurrency, int maxAttempts) {
        this(concurrency, maxAttempts, DEFAULT_RETRY_DELAY);
    }

    /**
     * @param concurrency requests in flight at once
     * @param maxAttempts attempts per device, the first included
     * @param retryDelay  the wait before retrying an answer without {@code Retry-After}
     */
    DpsSimulator(int concurrency, int maxAttempts, Duration retryDelay) {
        this.maxAttempts = maxAttempts;
        this.retryDelay = retryDelay;
        this.dps = Executors.newFixedThreadPool(concurrency);
    }

    /** The allocation request of each device, in order. */
    static List<String> requests(List<String> deviceIds) {
        return deviceIds.stream().map(BenchModels::allocationRequest).toList();
    }

    /** Registers each device with its request and waits until every one has an outcome. */
    Result provision(List<String> deviceIds, List<String> requests, Webhook webhook) throws InterruptedException {
        AtomicInteger allocated = new AtomicInteger();
        AtomicInteger retries = new AtomicInteger();
        List<String> problems = Collections.synchronizedList(new ArrayList<>());
        List<Future<?>> futures = new ArrayList<>();
        for (int i = 0; i < requests.size(); i++) {
            String deviceId = deviceIds.get(i);
            String request = requests.get(i);
            futures.add(dps.submit(() -> register(deviceId, request, webhook, allocated, retries, problems)));
        }
        for (Future<?> future : futures) {
            try {
                future.get();
            } catch (ExecutionException e) {
                problems.add("simulator error: " + e.getCause());
            }
        }
        return new Result(deviceIds.size(), allocated.get(), retries.get(), List.copyOf(problems));
    }

    @Override
    public void close() {
        dps.shutdownNow();
    }

    private void register(String deviceId, String request, Webhook webhook, AtomicInteger allocated,
                          AtomicInteger retries, List<String> problems) {
        String last = "no attempt";
        for (int attempt = 1; attempt <= maxAttempts; attempt++) {
            Answer answer;
            try {
                answer = webhook.call(request);
            } catch (Exception e) {
                answer = new Answer(500, String.valueOf(e), Optional.empty());
            }
            if (answer.status() == 200) {
                String problem = checkAssignment(deviceId, answer.body());
                if (problem == null) {
                    allocated.incrementAndGet();
                } else {
                    problems.add(deviceId + ": " + problem);
                }
                return;
            }
            last = "HTTP " + answer.status() + " " + Text.clip(answer.body(), 200);
            if (answer.status() < 429) {
                problems.add(deviceId + ": rejected with " + last);
                return;
            }
            if (attempt < maxAttempts) {
                retries.incrementAndGet();
                sleep(answer.retryAfter().filter(d -> !d.isZero()).orElse(retryDelay));
            }
        }
        problems.add(deviceId + ": gave up after " + maxAttempts + " attempts, last " + last);
    }

    /** Why the answer is not the expected assignment, or {@code null} when it is. */
    static String checkAssignment(String deviceId, String body) {
        try {
            JsonNode answer = JSON.readTree(body);
            if (!BenchModels.HUB.equals(answer.path("iotHubHostName").asText())) {
                return "answer assigns hub '" + answer.path("iotHubHostName").asText() + "'";
            }
            String dtId = answer.path("initialTwin").path("tags").path("dtId").asText();
            if (!deviceId.equals(dtId)) {
                return "answer names twin '" + dtId + "'";
            }
            return null;
        } catch (Exception e) {
            return "answer is not JSON: " + (body == null ? "" : Text.clip(body, 200));
        }
    }

    private static void sleep(Duration delay) {
        try {
            Thread.sleep(delay.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
