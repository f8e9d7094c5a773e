package io.dpstwin.benchmarks.coldstart;

import com.azure.core.credential.AccessToken;
import com.azure.core.credential.TokenCredential;
import com.azure.digitaltwins.core.DigitalTwinsClient;
import com.azure.digitaltwins.core.DigitalTwinsClientBuilder;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.microsoft.azure.functions.HttpResponseMessage;
import io.dpstwin.benchmarks.load.BareSdkAllocation;
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
                answer = BareSdkAllocation.allocate(new ObjectMapper(), client, body);
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
}
