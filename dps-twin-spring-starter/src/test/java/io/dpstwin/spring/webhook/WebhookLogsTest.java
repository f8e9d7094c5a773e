package io.dpstwin.spring.webhook;

import io.dpstwin.testkit.dps.DpsRequests;
import io.dpstwin.testkit.iothub.EventGridEvents;
import io.dpstwin.testkit.iothub.IotHubEvents;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Bean;
import org.springframework.web.filter.CommonsRequestLoggingFilter;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * No key reaches a log, even with Spring MVC's request logging at TRACE with request details on (which prints the
 * query string, parameters and headers), a request-logging filter that prints query strings and headers, and
 * dps-twin's own loggers at DEBUG.
 */
@ExtendWith(OutputCaptureExtension.class)
@SpringBootTest(classes = {WebhookTestApplication.class, WebhookLogsTest.RequestLogging.class},
        webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {
                "dps-twin.webhook.keys=Key-Alpha-7f3e9,Key-Beta-0c21d",
                "dps-twin.allocation.default-model=" + WebhookTestApplication.THERMOSTAT,
                "spring.mvc.log-request-details=true",
                "logging.level.org.springframework.web.servlet.DispatcherServlet=TRACE",
                "logging.level.org.springframework.web.filter.CommonsRequestLoggingFilter=DEBUG",
                "logging.level.io.dpstwin=DEBUG"})
class WebhookLogsTest {

    /** An application's request log, printing query strings and headers (it runs after the key filter). */
    @TestConfiguration
    static class RequestLogging {
        @Bean
        CommonsRequestLoggingFilter requestLoggingFilter() {
            CommonsRequestLoggingFilter filter = new CommonsRequestLoggingFilter();
            filter.setIncludeQueryString(true);
            filter.setIncludeHeaders(true);
            return filter;
        }
    }

    @LocalServerPort
    int port;

    @Test
    void noKeyAppearsInTheLogsWhateverTheOutcome(CapturedOutput output) throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        String body = DpsRequests.group("g").registrationId("dev-1").linkedHubs("hub-a.azure-devices.net")
                .modelId(WebhookTestApplication.THERMOSTAT).toJson();
        String delivery = IotHubEvents.deviceDeleted("hub-a", "dev-1").toEventGridJson();

        int[] statuses = {
            send(http, "/api/dps/allocate?code=Key-Alpha-7f3e9&trace=on", null, body),
            send(http, "/api/dps/allocate", "Key-Beta-0c21d", body),
            send(http, "/api/dps/allocate?code=Wrong-Key-55aa1", null, body),
            send(http, "/api/dps/allocate?CODE=Key-Alpha-7f3e9", null, "{broken"),
            send(http, "/api/iothub/events?code=Key-Beta-0c21d", null, delivery)};

        assertThat(statuses).containsExactly(200, 200, 401, 400, 200);
        assertThat(output.getAll())
                .as("Spring MVC did log the requests, with the key masked")
                .contains("POST \"/api/dps/allocate?code=***&trace=on\"")
                .contains("Before request [POST /api/dps/allocate?code=***&trace=on")
                .contains("x-functions-key:\"***\"")
                .doesNotContain("Key-Alpha-7f3e9")
                .doesNotContain("Key-Beta-0c21d")
                .doesNotContain("Wrong-Key-55aa1");
    }

    private int send(HttpClient http, String path, String headerKey, String body) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://localhost:" + port + path))
                .header("Content-Type", "application/json")
                .headers(EventGridEvents.notificationHeaders().entrySet().stream()
                        .flatMap(e -> java.util.stream.Stream.of(e.getKey(), e.getValue())).toArray(String[]::new))
                .POST(HttpRequest.BodyPublishers.ofString(body));
        if (headerKey != null) {
            request.header("x-functions-key", headerKey);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString()).statusCode();
    }
}
