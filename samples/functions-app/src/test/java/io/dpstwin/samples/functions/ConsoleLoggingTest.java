package io.dpstwin.samples.functions;

import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import io.dpstwin.functions.DpsTwinFunctions;
import io.dpstwin.functions.testing.FakeHttpRequest;
import io.dpstwin.functions.testing.FakeHttpResponse;
import io.dpstwin.functions.testing.RecordingExecutionContext;
import io.dpstwin.testkit.dps.DpsRequests;
import io.dpstwin.testkit.iothub.FunctionsEventHubsBinding;
import io.dpstwin.testkit.iothub.IotHubEventBatch;
import io.dpstwin.testkit.iothub.IotHubEvents;
import io.dpstwin.testkit.junit.AdtEmulatorExtension;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.slf4j.LoggerFactory;
import org.slf4j.spi.SLF4JServiceProvider;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;

import static io.dpstwin.samples.functions.EmulatedApp.HUB_A;
import static io.dpstwin.samples.functions.EmulatedApp.THERMOSTAT;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Core logs through SLF4J; the sample's one provider (logback-classic, configured by {@code logback.xml} from
 * {@code src/main/resources}, as packaged; {@code FunctionJsonIT} checks the staged jars) writes those records to the worker's console, where the Functions
 * host picks them up: INFO on stdout, WARN and ERROR on stderr, one line per record.
 */
class ConsoleLoggingTest {

    @RegisterExtension
    static final AdtEmulatorExtension ADT = EmulatedApp.emulator();

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();
    private final PrintStream originalOut = System.out;
    private final PrintStream originalErr = System.err;

    @AfterEach
    void restoreTheConsoleAndTheApp() {
        System.setOut(originalOut);
        System.setErr(originalErr);
        ADT.emulator().faults().clear();
        DpsTwinFunctions.reset();
    }

    private void captureTheConsole() {
        System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
        System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    private static List<String> lines(ByteArrayOutputStream stream) {
        return stream.toString(StandardCharsets.UTF_8).lines().toList();
    }

    @Test
    void theAppsClasspathHasExactlyOneSlf4jProviderConfiguredByTheShippedLogbackXml() throws Exception {
        List<String> providers = ServiceLoader.load(SLF4JServiceProvider.class).stream()
                .map(provider -> provider.type().getName()).toList();
        ClassLoader classLoader = getClass().getClassLoader();

        assertThat(providers).containsExactly("ch.qos.logback.classic.spi.LogbackServiceProvider");
        assertThat(LoggerFactory.getILoggerFactory()).isInstanceOf(LoggerContext.class);
        assertThat(Collections.list(classLoader.getResources("org/slf4j/impl/StaticLoggerBinder.class")))
                .as("no SLF4J 1.x binding either").isEmpty();
        assertThat(Collections.list(classLoader.getResources("logback.xml"))).singleElement().asString()
                .endsWith("target/classes/logback.xml");
        LoggerContext logback = (LoggerContext) LoggerFactory.getILoggerFactory();
        Logger root = logback.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        assertThat(root.getLevel()).as("the shipped logback.xml is in effect").isEqualTo(Level.WARN);
        assertThat(logback.getLogger("io.dpstwin").getLevel()).isEqualTo(Level.INFO);
        assertThat(root.getAppender("STDOUT")).isNotNull();
        assertThat(root.getAppender("STDERR")).isNotNull();
    }

    @Test
    void aDeadLetterRecordIsWrittenToStderrAsOneWarnLineWithItsKeyValuePairs() {
        DpsTwinFunctions.install(EmulatedApp.factory(ADT,
                Map.of("DPSTWIN_ALLOCATION_DEFAULTMODEL", THERMOSTAT, "DPSTWIN_LIFECYCLE_MAXATTEMPTS", "1")));
        EmulatedApp.createTwin(ADT, "dev-1", THERMOSTAT);
        ADT.emulator().faults().unavailable(1.0);
        FunctionsEventHubsBinding binding = IotHubEventBatch.of(IotHubEvents.deviceDeleted("hub-a", "dev-1"))
                .functionsBinding();
        RecordingExecutionContext context = new RecordingExecutionContext("DeviceLifecycleEventHubFunc");
        captureTheConsole();

        new LifecycleEventHubFunction().run(binding.messages(), binding.propertiesArray(),
                binding.systemPropertiesArray(), context);

        System.setErr(originalErr);
        System.setOut(originalOut);
        assertThat(context.transcript()).contains("dead_lettered=1");
        List<String> deadLetters = lines(err).stream()
                .filter(line -> line.contains("io.dpstwin.core.lifecycle.DeadLetters")).toList();
        assertThat(deadLetters).singleElement().asString()
                .startsWith("WARN ")
                .contains("Lifecycle event dead-lettered (retries_exhausted)")
                .contains("reason=\"retries_exhausted\"", "source=\"EVENT_HUBS\"", "deviceId=\"dev-1\"",
                        "opType=\"deleteDeviceIdentity\"", "twinId=\"dev-1\"", "attempts=\"1\"");
        assertThat(lines(out)).noneMatch(line -> line.contains("dead-lettered"));
        assertThat(lines(out)).anySatisfy(line -> assertThat(line)
                .startsWith("INFO ").contains("io.dpstwin.functions.FunctionsDpsTwinFactory - dps-twin ready"));
        assertThat(lines(err)).allSatisfy(line -> assertThat(line).startsWith("WARN "));
    }

    @Test
    void coresAllocationDetailsAreInfoLinesOnStdout() {
        DpsTwinFunctions.install(EmulatedApp.factory(ADT, Map.of("DPSTWIN_ALLOCATION_DEFAULTMODEL", THERMOSTAT)));
        captureTheConsole();

        FakeHttpResponse response = (FakeHttpResponse) new DpsAllocationFunction().run(
                FakeHttpRequest.post(DpsRequests.group("thermostats").registrationId("dev-42").linkedHubs(HUB_A)
                        .toJson()),
                new RecordingExecutionContext("DpsAdtAllocationFunc"));

        System.setErr(originalErr);
        System.setOut(originalOut);
        assertThat(response.getStatusCode()).isEqualTo(200);
        assertThat(lines(out)).anySatisfy(line -> assertThat(line)
                .startsWith("INFO ").contains("io.dpstwin.core.allocation.", "Allocated registration dev-42"));
        assertThat(lines(err)).isEmpty();
    }
}
