package io.dpstwin.testkit.reliability.secrets;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import org.junit.platform.launcher.TestExecutionListener;
import org.junit.platform.launcher.TestPlan;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Writes what {@link CapturingAppender} saw during the whole test plan of this JVM (every engine: Jupiter and jqwik,
 * every class, in whatever order they ran) to {@code target/log-capture/report-<pid>.json}, for
 * {@code LogSecretsVerdict} to judge in a second surefire execution that runs after this one.
 *
 * <p>Why not judge here: the JUnit Platform catches and only logs exceptions thrown by a
 * {@link TestExecutionListener}, so a listener cannot fail the build; and a test class "ordered last" is last only
 * within its engine (the jqwik engine runs its properties separately). Registered through
 * {@code META-INF/services/org.junit.platform.launcher.TestExecutionListener}; does nothing in the verdict's own JVM
 * ({@value #VERDICT_PROPERTY} set).
 */
public final class LogCaptureReport implements TestExecutionListener {

    /** Set in the JVM of the verdict execution. */
    public static final String VERDICT_PROPERTY = "dpstwin.logcapture.verdict";
    /** Identifies one Maven build (both surefire executions get the same value). */
    public static final String BUILD_ID_PROPERTY = "dpstwin.logcapture.buildId";
    /** Where the reports go (relative to the module directory, surefire's working directory). */
    public static final Path REPORT_DIRECTORY = Path.of("target", "log-capture");

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    @Override
    public void testPlanExecutionStarted(TestPlan testPlan) {
        if (Boolean.getBoolean(VERDICT_PROPERTY)) {
            return;
        }
        removeReportsOfOtherBuilds();
        // The capture's self-test: an event carrying a canary must reach the appender through SLF4J and logback.
        LoggerFactory.getLogger(CapturingAppender.PROBE_LOGGER)
                .trace("log capture probe {}", Canaries.FUNCTION_KEY);
    }

    private static void removeReportsOfOtherBuilds() {
        String buildId = System.getProperty(BUILD_ID_PROPERTY, "");
        if (buildId.isEmpty() || !Files.isDirectory(REPORT_DIRECTORY)) {
            return;
        }
        try (var files = Files.list(REPORT_DIRECTORY)) {
            for (Path file : files.filter(f -> f.getFileName().toString().startsWith("report-")).toList()) {
                if (!JSON.readTree(file.toFile()).path("buildId").asText().equals(buildId)) {
                    Files.deleteIfExists(file);
                }
            }
        } catch (IOException e) {
            LoggerFactory.getLogger(LogCaptureReport.class).warn("Could not remove old log capture reports: {}",
                    e.toString());
        }
    }

    @Override
    public void testPlanExecutionFinished(TestPlan testPlan) {
        if (Boolean.getBoolean(VERDICT_PROPERTY)) {
            return;
        }
        CapturingAppender.Snapshot snapshot = CapturingAppender.snapshot();
        Map<String, Object> report = new LinkedHashMap<>();
        report.put("buildId", System.getProperty(BUILD_ID_PROPERTY, ""));
        report.put("pid", ProcessHandle.current().pid());
        report.put("tests", testPlan.countTestIdentifiers(id -> id.isTest()));
        report.put("events", snapshot.events());
        report.put("dpstwinTraceEvents", snapshot.dpstwinTraceEvents());
        report.put("probeSeen", snapshot.probeSeen());
        report.put("leakCount", snapshot.leakCount());
        report.put("leaks", snapshot.leaks());
        try {
            Files.createDirectories(REPORT_DIRECTORY);
            JSON.writeValue(REPORT_DIRECTORY.resolve("report-" + ProcessHandle.current().pid() + ".json").toFile(),
                    report);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the log capture report", e);
        }
    }
}
