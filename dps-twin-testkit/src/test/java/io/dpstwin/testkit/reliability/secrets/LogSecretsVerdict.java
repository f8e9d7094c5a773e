package io.dpstwin.testkit.reliability.secrets;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The final secrets check of the testkit module, run by its own surefire execution ({@code log-secrets-verdict})
 * after every test of the module: no log event of the test run contained a key, token or connection string the tests
 * put into requests and configuration ({@link Canaries}). Reads the reports {@link LogCaptureReport} wrote for this
 * build. Not named {@code *Test}, so the main execution does not run it.
 */
class LogSecretsVerdict {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    @DisplayName("no log line of the whole test run contains a key, token or connection string")
    void noSecretReachedAnyLog() throws IOException {
        String buildId = System.getProperty(LogCaptureReport.BUILD_ID_PROPERTY, "");
        List<JsonNode> reports = new ArrayList<>();
        if (Files.isDirectory(LogCaptureReport.REPORT_DIRECTORY)) {
            try (Stream<Path> files = Files.list(LogCaptureReport.REPORT_DIRECTORY)) {
                for (Path file : files.filter(f -> f.getFileName().toString().startsWith("report-")).toList()) {
                    JsonNode report = JSON.readTree(file.toFile());
                    if (report.path("buildId").asText().equals(buildId)) {
                        reports.add(report);
                    }
                }
            }
        }

        if (reports.isEmpty()) {
            // A targeted run (-Dtest=...) that selected no test of this module forks no test JVM, so no report.
            Assumptions.assumeTrue(mainExecutionRanTests(buildId),
                    "the main test execution ran no test in this build: nothing to judge");
        }
        assertThat(reports).as("log capture reports of build %s in %s (did the main test execution run?)", buildId,
                LogCaptureReport.REPORT_DIRECTORY.toAbsolutePath()).isNotEmpty();
        for (JsonNode report : reports) {
            assertThat(report.path("probeSeen").asBoolean())
                    .as("the capture's self-test event reached the appender (logback-test.xml wires it)").isTrue();
            assertThat(report.path("leakCount").asInt())
                    .as("log events containing a canary secret: %s", report.path("leaks").toPrettyString())
                    .isZero();
        }
    }

    /** Whether surefire wrote a test report in this build (the build id is Maven's start time, UTC). */
    private static boolean mainExecutionRanTests(String buildId) throws IOException {
        Path reports = Path.of("target", "surefire-reports");
        if (buildId.isEmpty()) {
            return true;
        }
        if (!Files.isDirectory(reports)) {
            return false;
        }
        Instant buildStart = LocalDateTime.parse(buildId, DateTimeFormatter.ofPattern("yyyyMMddHHmmssSSS"))
                .toInstant(ZoneOffset.UTC);
        try (Stream<Path> files = Files.list(reports)) {
            return files.filter(f -> f.getFileName().toString().startsWith("TEST-"))
                    .filter(f -> !f.getFileName().toString().contains("LogSecretsVerdict"))
                    .anyMatch(f -> {
                        try {
                            return !Files.getLastModifiedTime(f).toInstant().isBefore(buildStart);
                        } catch (IOException e) {
                            return true;
                        }
                    });
        }
    }
}
