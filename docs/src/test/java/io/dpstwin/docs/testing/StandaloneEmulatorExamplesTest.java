package io.dpstwin.docs.testing;

import io.dpstwin.testkit.emulator.AdtEmulatorMain;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

/**
 * The standalone emulator of docs/testing.md: started in its own JVM with the options the doc shows (the main class
 * of dps-twin-emulator.jar, from the test class path), then driven by the doc's curl tour.
 */
class StandaloneEmulatorExamplesTest {

    private static final Pattern LISTENING = Pattern.compile("ADT emulator listening on (https://localhost:\\d+)");
    private static final Path TOUR = Path.of("src/test/resources/testing/adt-emulator-curl.sh");

    @TempDir
    static Path directory;

    private static Process emulator;
    private static String endpoint;
    private static Path certificate;

    @BeforeAll
    static void startTheEmulatorAsTheDocShows() throws IOException {
        Path models = Files.createDirectories(directory.resolve("models"));
        Files.copy(Path.of("src/test/resources/models/room.json"), models.resolve("room.json"));
        Files.copy(Path.of("src/test/resources/models/thermostat.json"), models.resolve("thermostat.json"));
        certificate = directory.resolve("adt-emulator.pem");
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        // the test class path without logback: like the jar, the emulator then prints only its two lines on stdout
        String classPath = Arrays.stream(System.getProperty("java.class.path").split(File.pathSeparator))
                .filter(entry -> !entry.contains("logback"))
                .collect(Collectors.joining(File.pathSeparator));
        emulator = new ProcessBuilder(java.toString(), "-cp", classPath,
                AdtEmulatorMain.class.getName(), "--port", "0", "--models", models.toString(),
                "--cert", certificate.toString())
                .redirectError(ProcessBuilder.Redirect.DISCARD)
                .start();
        BufferedReader out = new BufferedReader(new InputStreamReader(emulator.getInputStream(),
                StandardCharsets.UTF_8));
        String listening = out.readLine();
        String pem = out.readLine();
        assertThat(listening).as("first line of the emulator's output").matches(LISTENING);
        assertThat(pem).isEqualTo("Certificate (PEM): " + certificate.toAbsolutePath());
        Matcher matcher = LISTENING.matcher(listening);
        assertThat(matcher.matches()).isTrue();
        endpoint = matcher.group(1);
        Thread drain = new Thread(() -> out.lines().forEach(line -> { }), "emulator-stdout");
        drain.setDaemon(true);
        drain.start();
    }

    @AfterAll
    static void stopTheEmulator() throws InterruptedException {
        if (emulator != null) {
            emulator.destroy();   // SIGTERM, as Ctrl-C: the emulator closes cleanly
            if (!emulator.waitFor(20, TimeUnit.SECONDS)) {
                emulator.destroyForcibly();
            }
        }
    }

    @Test
    void writesItsCertificateWhereAsked() throws IOException {
        assertThat(Files.readString(certificate)).startsWith("-----BEGIN CERTIFICATE-----");
    }

    @Test
    void answersTheCurlTour() throws Exception {
        assumeThat(onPath("curl") && onPath("jq")).as("curl and jq on the PATH").isTrue();
        ProcessBuilder tour = new ProcessBuilder("bash", "-e", TOUR.toString()).redirectErrorStream(true);
        tour.environment().put("ADT_ENDPOINT", endpoint);
        tour.environment().put("ADT_CERT", certificate.toString());
        Process run = tour.start();
        String output = new String(run.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(run.waitFor(60, TimeUnit.SECONDS)).isTrue();

        assertThat(run.exitValue()).as(output).isZero();
        assertThat(output)
                .contains("\"id\":\"dtmi:com:example:Floor;1\"")                     // the model, uploaded and read
                .contains("\"$dtId\":\"floor-1\"")
                .containsPattern("(?i)etag: W/\"")                                   // the -i answer's header
                .contains("\"$relationshipLink\":\"" + endpoint + "/digitaltwins/floor-1/relationships/r1")
                .contains("\"code\":\"RelationshipsNotDeleted\"")
                .contains("{\"value\":[{\"COUNT\":2}],\"continuationToken\":null}");
    }

    private static boolean onPath(String command) throws IOException, InterruptedException {
        return new ProcessBuilder("bash", "-c", "command -v " + command).start().waitFor() == 0;
    }
}
