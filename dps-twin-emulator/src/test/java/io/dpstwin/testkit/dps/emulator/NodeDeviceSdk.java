package io.dpstwin.testkit.dps.emulator;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The Node.js device SDKs, installed from the npm registry at the exact versions below into {@code target/node-sdk}
 * (kept between runs), and the script {@code node-sdk/register-and-send.js} that drives them. Without {@code node}
 * and {@code npm} on the PATH, or when {@code npm install} fails (no network), the calling test is skipped with the
 * reason, unless the environment variable {@value #REQUIRED_VARIABLE} is {@code true} (as in CI), which fails it.
 */
final class NodeDeviceSdk {

    static final String REQUIRED_VARIABLE = "DPSTWIN_NODE_REQUIRED";

    /**
     * The packages as the reference's Node device simulator uses them; {@code azure-iot-security-symmetric-key}
     * 1.8.2 was published with {@code azure-iot-provisioning-device} 1.9.1.
     */
    static final Map<String, String> PACKAGES = Map.of(
            "azure-iot-provisioning-device", "1.9.1",
            "azure-iot-provisioning-device-mqtt", "1.8.1",
            "azure-iot-security-symmetric-key", "1.8.2",
            "azure-iot-device", "1.18.4",
            "azure-iot-device-mqtt", "1.16.4");

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String SCRIPT = "register-and-send.js";

    private final Path directory;

    private NodeDeviceSdk(Path directory) {
        this.directory = directory;
    }

    /** Installs the packages unless already installed, or skips (or fails, when required) the calling test. */
    static NodeDeviceSdk install() {
        Path directory = Path.of("target", "node-sdk").toAbsolutePath();
        try {
            Files.createDirectories(directory);
            String nodeVersion = run(directory, List.of("node", "--version"), 30);
            if (nodeVersion == null) {
                unavailable("node is not on the PATH");
            }
            String packageJson = JSON.writerWithDefaultPrettyPrinter().writeValueAsString(Map.of(
                    "name", "dps-twin-node-sdk-test", "private", true,
                    "dependencies", new java.util.TreeMap<>(PACKAGES)));
            Path marker = directory.resolve("installed.json");
            if (!Files.exists(marker) || !Files.readString(marker).equals(packageJson)) {
                Files.writeString(directory.resolve("package.json"), packageJson);
                String npm = run(directory, List.of("npm", "install", "--no-audit", "--no-fund",
                        "--no-package-lock"), 300);
                if (npm == null) {
                    unavailable("npm is not on the PATH, or `npm install` failed in " + directory
                            + " (no access to the npm registry?)");
                }
                Files.writeString(marker, packageJson);
            }
            try (InputStream script = NodeDeviceSdk.class.getResourceAsStream("/node-sdk/" + SCRIPT)) {
                Files.write(directory.resolve(SCRIPT), script.readAllBytes());
            }
            return new NodeDeviceSdk(directory);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void unavailable(String reason) {
        String message = "Node.js device SDK tests need node and npm: " + reason;
        if ("true".equalsIgnoreCase(System.getenv(REQUIRED_VARIABLE))) {
            Assertions.fail(message + " (" + REQUIRED_VARIABLE + "=true)");
        }
        message += "; skipped (set " + REQUIRED_VARIABLE + "=true to fail instead)";
        // Surefire reports a class skipped in beforeAll as zero tests run, without the reason: say it here.
        System.err.println("[dps-twin emulator tests] " + message);
        Assumptions.abort(message);
    }

    /** Runs {@code command} in {@code directory}: its output, or null if it cannot start or exits non-zero. */
    private static String run(Path directory, List<String> command, int timeoutSeconds) throws IOException {
        Process process;
        try {
            process = new ProcessBuilder(command).directory(directory.toFile()).redirectErrorStream(true).start();
        } catch (IOException e) {
            return null;
        }
        try {
            byte[] output = process.getInputStream().readAllBytes();
            if (!process.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                return null;
            }
            return process.exitValue() == 0 ? new String(output, StandardCharsets.UTF_8) : null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
            return null;
        }
    }

    /**
     * Runs the script with {@code environment} added (the settings the script's header lists) and the CA PEM in
     * {@code NODE_EXTRA_CA_CERTS}: the one JSON line it prints.
     */
    JsonNode registerAndSend(Path caPem, Map<String, String> environment) throws Exception {
        ProcessBuilder builder = new ProcessBuilder("node", SCRIPT).directory(directory.toFile());
        builder.environment().putAll(environment);
        builder.environment().put("NODE_EXTRA_CA_CERTS", caPem.toAbsolutePath().toString());
        Path log = Files.createTempFile(directory, "node-", ".log");
        builder.redirectError(log.toFile());
        Process process = builder.start();
        byte[] stdout = process.getInputStream().readAllBytes();
        if (!process.waitFor(120, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError("the Node script did not finish in 120 s");
        }
        String stderr = Files.readString(log);
        Files.delete(log);
        List<String> lines = new ArrayList<>(new String(stdout, StandardCharsets.UTF_8).lines().toList());
        if (process.exitValue() != 0 || lines.isEmpty()) {
            throw new AssertionError("the Node script exited with " + process.exitValue() + ": " + stderr);
        }
        return JSON.readTree(lines.get(lines.size() - 1));
    }
}
