package io.dpstwin.testkit.flows;

import com.azure.core.http.HttpPipelineCallContext;
import com.azure.core.http.HttpPipelineNextPolicy;
import com.azure.core.http.HttpRequest;
import com.azure.core.http.HttpResponse;
import com.azure.core.http.policy.HttpPipelinePolicy;
import reactor.core.publisher.Mono;

import java.io.IOException;
import java.util.Objects;
import java.util.function.Predicate;

/**
 * A client-side fault the emulator cannot inject: the service receives and applies the request, but its answer
 * never reaches the client (a connection reset after the request was sent). The emulator's own dropped connections
 * happen before the request is applied; together they cover both halves of "no answer". Add it to a
 * {@code DigitalTwinsClientBuilder} with {@code addPolicy}.
 */
public final class LostAnswers implements HttpPipelinePolicy {

    private final Predicate<HttpRequest> lose;

    /** @param lose which requests lose their answer (called once per attempt) */
    public LostAnswers(Predicate<HttpRequest> lose) {
        this.lose = Objects.requireNonNull(lose, "lose");
    }

    @Override
    public Mono<HttpResponse> process(HttpPipelineCallContext context, HttpPipelineNextPolicy next) {
        if (!lose.test(context.getHttpRequest())) {
            return next.process();
        }
        return next.process().flatMap(response -> {
            response.close();
            return Mono.error(new IOException("Connection reset after the request was sent (injected: the service "
                    + "applied it, its answer is lost)"));
        });
    }
}
