package io.dpstwin.benchmarks.coldstart;

import com.azure.core.credential.AccessToken;
import com.azure.core.credential.TokenCredential;
import com.azure.core.exception.HttpResponseException;
import com.azure.core.util.Context;
import com.azure.digitaltwins.core.BasicDigitalTwin;
import com.azure.digitaltwins.core.BasicDigitalTwinMetadata;
import com.azure.digitaltwins.core.DigitalTwinsClient;
import com.azure.digitaltwins.core.DigitalTwinsClientBuilder;
import com.azure.digitaltwins.core.models.CreateOrReplaceDigitalTwinOptions;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.microsoft.azure.functions.HttpResponseMessage;
import io.dpstwin.functions.DpsTwinFunctions;
import io.dpstwin.functions.FunctionsDpsTwinFactory;
import io.dpstwin.functions.testing.FakeHttpRequest;
import reactor.core.publisher.Mono;

import java.time.OffsetDateTime;
import java.util.Locale;

/**
 * One cold start, as a process of its own: {@code ColdStartProbe dps-twin|sdk <request body>}, with the ADT
 * endpoint in the environment variable {@code ADT_SERVICE_URL} (the Functions app setting) and the emulator's
 * certificate in the JVM's trust store ({@code javax.net.ssl.trustStore}), so that both sides use their default HTTP
 * client as a deployed app does.
 *
 * <ul>
 *   <li>{@code dps-twin}: what a Functions app's first invocation does: {@link DpsTwinFunctions#allocation()} with
 *       the app settings read from the environment by {@link FunctionsDpsTwinFactory} (only the credential is given,
 *       a constant token, as the emulator takes any); the {@code DpsTwin} is built lazily by the first call.</li>
 *   <li>{@code sdk}: the same first registration with the bare SDK: a {@link DigitalTwinsClient} with its defaults
 *       and the same credential, parse the body with a new Jackson {@link ObjectMapper}, {@code GET} (404),
 *       {@code PUT If-None-Match: *}, answer hub and tags.</li>
 * </ul>
 *
 * It prints one line, {@code COLDSTART ok=<true|false> build_ms=<x> call_ms=<x> cpu_ms=<x> answer=<json or
 * problem>} ({@code cpu_ms}: the process's CPU time so far, all threads), and halts at once (the time to tear the JVM
 * down is not part of a first allocation).
 */
public final class ColdStartProbe {

    /** A constant token, handed out at once (the emulator accepts any bearer token). */
    private static final TokenCredential CREDENTIAL = request ->
            Mono.just(new AccessToken("cold-start-token", OffsetDateTime.now().plusHours(1)));

    private ColdStartProbe() {
    }

    public static void main(String[] args) {
        long start = System.nanoTime();
        String mode = args[0];
        String body = args[1];
        String answer;
        long built;
        boolean ok;
        try {
            if (mode.equals("dps-twin")) {
                DpsTwinFunctions.install(FunctionsDpsTwinFactory.builder().credential(CREDENTIAL).build());
                built = System.nanoTime();
                HttpResponseMessage response = DpsTwinFunctions.allocation().handle(FakeHttpRequest.post(body), null);
                answer = String.valueOf(response.getBody());
                ok = response.getStatusCode() == 200;
            } else {
                DigitalTwinsClient client = new DigitalTwinsClientBuilder()
                        .endpoint(System.getenv("ADT_SERVICE_URL"))
                        .credential(CREDENTIAL)
                        .buildClient();
                built = System.nanoTime();
                answer = allocateWithSdk(client, body);
                ok = !answer.startsWith("bare SDK failed");
            }
        } catch (RuntimeException e) {
            built = start;
            answer = "probe failed: " + e;
            ok = false;
        }
        long done = System.nanoTime();
        double cpuMs = ProcessHandle.current().info().totalCpuDuration().map(d -> d.toNanos() / 1e6)
                .orElse(Double.NaN);
        System.out.println(String.format(Locale.ROOT, "COLDSTART ok=%s build_ms=%.1f call_ms=%.1f cpu_ms=%.1f "
                + "answer=%s", ok, (built - start) / 1e6, (done - built) / 1e6, cpuMs, answer.replace('\n', ' ')));
        System.out.flush();
        Runtime.getRuntime().halt(0);
    }

    private static String allocateWithSdk(DigitalTwinsClient client, String requestBody) {
        try {
            ObjectMapper json = new ObjectMapper();
            JsonNode request = json.readTree(requestBody);
            JsonNode context = request.path("deviceRuntimeContext");
            String registrationId = context.path("registrationId").textValue();
            String modelId = context.path("payload").path("modelId").textValue();
            String hub = request.path("linkedHubs").path(0).textValue();
            BasicDigitalTwin twin;
            try {
                twin = client.getDigitalTwin(registrationId, BasicDigitalTwin.class);
            } catch (HttpResponseException e) {
                if (e.getResponse() == null || e.getResponse().getStatusCode() != 404) {
                    throw e;
                }
                BasicDigitalTwin absent = new BasicDigitalTwin(registrationId)
                        .setMetadata(new BasicDigitalTwinMetadata().setModelId(modelId));
                twin = client.createOrReplaceDigitalTwinWithResponse(registrationId, absent, BasicDigitalTwin.class,
                        new CreateOrReplaceDigitalTwinOptions().setIfNoneMatch("*"), Context.NONE).getValue();
            }
            ObjectNode answer = json.createObjectNode();
            answer.put("iotHubHostName", hub);
            ObjectNode initialTwin = answer.putObject("initialTwin");
            ObjectNode tags = initialTwin.putObject("tags");
            tags.put("dtId", registrationId);
            tags.put("dtmi", twin.getMetadata().getModelId());
            initialTwin.putObject("properties").putObject("desired");
            return json.writeValueAsString(answer);
        } catch (Exception e) {
            return "bare SDK failed: " + e;
        }
    }
}
