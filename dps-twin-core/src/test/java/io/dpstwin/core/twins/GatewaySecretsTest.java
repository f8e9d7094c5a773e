package io.dpstwin.core.twins;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.classic.spi.ThrowableProxyUtil;
import ch.qos.logback.core.read.ListAppender;
import com.azure.core.http.policy.HttpLogDetailLevel;
import com.azure.core.http.policy.HttpLogOptions;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.http.Fault;
import com.github.tomakehurst.wiremock.stubbing.Scenario;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.put;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The bearer token never appears in a log line or an exception message of the gateway stack, even with azure-core's
 * HTTP logging at its most verbose and every client-side logger at TRACE. Server-side (WireMock/Jetty) logs are not
 * ours and are left out.
 */
class GatewaySecretsTest {

    private static final List<String> CLIENT_LOGGERS = List.of("com.azure", "io.dpstwin", "reactor", "io.netty");

    private final ListAppender<ILoggingEvent> captured = new ListAppender<>();
    private final Map<String, Level> previousLevels = new HashMap<>();
    private WireMockServer adt;

    @BeforeEach
    void captureClientLogs() {
        adt = AdtWireMock.startHttps();
        captured.start();
        Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        root.addAppender(captured);
        for (String name : CLIENT_LOGGERS) {
            Logger logger = (Logger) LoggerFactory.getLogger(name);
            previousLevels.put(name, logger.getLevel());
            logger.setLevel(Level.TRACE);
        }
    }

    @AfterEach
    void restore() {
        ((Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME)).detachAppender(captured);
        previousLevels.forEach((name, level) -> ((Logger) LoggerFactory.getLogger(name)).setLevel(level));
        AdtWireMock.quietTransportLogs();
        adt.stop();
    }

    @Test
    void theBearerTokenReachesNoLogLineAndNoExceptionMessage() {
        adt.stubFor(get(urlPathEqualTo("/digitaltwins/dev-1")).inScenario("throttle")
                .whenScenarioStateIs(Scenario.STARTED).willSetStateTo("ok")
                .willReturn(aResponse().withStatus(429).withHeader("Retry-After", "1")
                        .withHeader("Content-Type", "application/json")
                        .withBody("{\"error\":{\"code\":\"TooManyRequests\",\"message\":\"slow down\"}}")));
        adt.stubFor(get(urlPathEqualTo("/digitaltwins/dev-1")).inScenario("throttle").whenScenarioStateIs("ok")
                .willReturn(aResponse().withStatus(200).withHeader("Content-Type", "application/json")
                        .withBody("{\"$dtId\":\"dev-1\",\"$metadata\":{\"$model\":\"dtmi:a:B;1\"}}")));
        adt.stubFor(put(urlPathEqualTo("/digitaltwins/dev-1")).willReturn(aResponse().withStatus(412)
                .withHeader("Content-Type", "application/json")
                .withBody("{\"error\":{\"code\":\"PreconditionFailed\",\"message\":\"exists\"}}")));
        adt.stubFor(get(urlPathEqualTo("/digitaltwins/reset"))
                .willReturn(aResponse().withFault(Fault.CONNECTION_RESET_BY_PEER)));
        HttpLogOptions verbose = new HttpLogOptions().setLogLevel(HttpLogDetailLevel.BODY_AND_HEADERS);
        DigitalTwinsGateway stack = DigitalTwinsGateways.sdk(
                        AdtWireMock.client(AdtWireMock.endpoint(adt), Duration.ofSeconds(5), verbose))
                .retry(RetryBudget.lifecycle()).sleeper(duration -> { }).build();
        List<Throwable> failures = new ArrayList<>();

        stack.getTwin("dev-1");
        for (Runnable call : List.<Runnable>of(
                () -> stack.createTwinIfAbsent(DigitalTwin.of("dev-1", "dtmi:a:B;1")),
                () -> stack.getTwin("reset"))) {
            try {
                call.run();
            } catch (AdtException e) {
                failures.add(e);
            }
        }

        assertThat(failures).hasSize(2);
        for (Throwable failure : failures) {
            StringWriter trace = new StringWriter();
            failure.printStackTrace(new PrintWriter(trace));
            assertThat(trace.toString()).doesNotContain(AdtWireMock.TOKEN);
        }
        List<ILoggingEvent> events;
        synchronized (captured) { // AppenderBase#doAppend appends under this lock; client threads may still log
            events = new ArrayList<>(captured.list);
        }
        List<String> clientLines = new ArrayList<>();
        for (ILoggingEvent event : events) {
            if (CLIENT_LOGGERS.stream().anyMatch(event.getLoggerName()::startsWith)) {
                IThrowableProxy thrown = event.getThrowableProxy();
                clientLines.add(event.getFormattedMessage()
                        + (thrown == null ? "" : ThrowableProxyUtil.asString(thrown)));
            }
        }
        // the capture works: azure-core logged the requests, including their (redacted) Authorization header
        assertThat(clientLines).anySatisfy(line -> assertThat(line).contains("/digitaltwins/dev-1"));
        assertThat(clientLines).anySatisfy(line -> assertThat(line).containsIgnoringCase("authorization"));
        assertThat(clientLines).allSatisfy(line -> assertThat(line).doesNotContain(AdtWireMock.TOKEN));
    }
}
