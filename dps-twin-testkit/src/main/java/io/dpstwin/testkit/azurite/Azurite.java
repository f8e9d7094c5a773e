package io.dpstwin.testkit.azurite;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Azurite, Microsoft's Azure Storage emulator, started as a child process for tests that need real blob semantics
 * (leases, ETag conditions, the Event Hubs blob checkpoint store's ownership claims). Only its blob service runs, on a
 * free loopback port, with its data in a temporary folder removed on {@link #close()}.
 *
 * <p>Azurite is an npm package: {@code npm install -g azurite@3.37.0} puts {@code azurite-blob} on the {@code PATH}
 * (a project-local {@code node_modules/.bin/azurite-blob} in this or a parent folder is found too). Use it through
 * {@link AzuriteTest @AzuriteTest}, which skips the tests when Azurite is not installed.
 *
 * <p>The account is Azurite's well-known development account {@code devstoreaccount1}, whose key is published in
 * Azurite's documentation (<a href="https://learn.microsoft.com/azure/storage/common/storage-use-azurite">Use
 * Azurite</a>); it opens nothing but this local emulator.
 */
public final class Azurite implements AutoCloseable {

    /** The development account's name. */
    public static final String ACCOUNT_NAME = "devstoreaccount1";
    /** The development account's published key (Azurite's documentation), good for Azurite only. */
    public static final String ACCOUNT_KEY =
            "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==";

    private static final Pattern LISTENING = Pattern.compile("listens on (http://[^\\s]+)");
    private static final String EXECUTABLE = "azurite-blob";

    private final Process process;
    private final Path location;
    private final String blobEndpoint;

    private Azurite(Process process, Path location, String blobEndpoint) {
        this.process = process;
        this.location = location;
        this.blobEndpoint = blobEndpoint;
    }

    /** Where {@code azurite-blob} is installed, if it is. */
    public static Optional<Path> executable() {
        String path = System.getenv("PATH");
        List<Path> candidates = new ArrayList<>();
        if (path != null) {
            for (String dir : path.split(java.io.File.pathSeparator)) {
                if (!dir.isBlank()) {
                    candidates.add(Path.of(dir, EXECUTABLE));
                }
            }
        }
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            candidates.add(dir.resolve("node_modules").resolve(".bin").resolve(EXECUTABLE));
        }
        return candidates.stream().filter(Files::isExecutable).findFirst();
    }

    /**
     * Starts Azurite's blob service and waits until it listens.
     *
     * @throws IllegalStateException when Azurite is not installed or does not start within 60 s
     */
    public static Azurite start() {
        Path executable = executable().orElseThrow(() -> new IllegalStateException(
                "Azurite is not installed: run 'npm install -g azurite@3.37.0' (needs Node.js)"));
        Path location;
        try {
            location = Files.createTempDirectory("azurite-");
        } catch (IOException e) {
            throw new IllegalStateException("no temporary folder for Azurite's data", e);
        }
        Process process;
        try {
            process = new ProcessBuilder(executable.toString(), "--blobHost", "127.0.0.1", "--blobPort", "0",
                    "--location", location.toString(), "--skipApiVersionCheck", "--disableProductStyleUrl")
                    .redirectErrorStream(true)
                    .start();
        } catch (IOException e) {
            delete(location);
            throw new IllegalStateException("Azurite could not be started from " + executable, e);
        }
        CompletableFuture<String> endpoint = new CompletableFuture<>();
        List<String> output = new ArrayList<>();
        Thread reader = new Thread(() -> {
            try (BufferedReader lines = new BufferedReader(
                    new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = lines.readLine()) != null) {
                    synchronized (output) {
                        output.add(line);
                    }
                    Matcher matcher = LISTENING.matcher(line);
                    if (matcher.find()) {
                        endpoint.complete(matcher.group(1));
                    }
                }
            } catch (IOException e) {
                endpoint.completeExceptionally(e);
            }
            endpoint.completeExceptionally(new IllegalStateException("Azurite exited"));
        }, "azurite-output");
        reader.setDaemon(true);
        reader.start();
        try {
            String url = endpoint.get(60, TimeUnit.SECONDS);
            return new Azurite(process, location, url + "/" + ACCOUNT_NAME);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            stop(process, location);
            throw new IllegalStateException("interrupted while Azurite started", e);
        } catch (ExecutionException | TimeoutException e) {
            stop(process, location);
            String seen;
            synchronized (output) {
                seen = String.join(" | ", output);
            }
            throw new IllegalStateException("Azurite did not start within 60 s; it printed: " + seen, e);
        }
    }

    /** The blob service endpoint, e.g. {@code http://127.0.0.1:41649/devstoreaccount1}. */
    public String blobEndpoint() {
        return blobEndpoint;
    }

    /** A storage connection string for this emulator, as Azure's SDKs take it. */
    public String connectionString() {
        return "DefaultEndpointsProtocol=http;AccountName=" + ACCOUNT_NAME + ";AccountKey=" + ACCOUNT_KEY
                + ";BlobEndpoint=" + blobEndpoint + ";";
    }

    /**
     * A storage connection string for tests that must not reach any storage: its blob endpoint is a local port nothing
     * listens on (9, discard), so every request fails at once, and its key is plainly fake (the Base64 of
     * {@code not-a-real-key}, made when called), so that no real-looking secret needs to be written in a test.
     */
    public static String unreachableConnectionString() {
        String fakeKey = java.util.Base64.getEncoder()
                .encodeToString("not-a-real-key".getBytes(StandardCharsets.US_ASCII));
        return "DefaultEndpointsProtocol=http;AccountName=" + ACCOUNT_NAME + ";AccountKey=" + fakeKey
                + ";BlobEndpoint=http://127.0.0.1:9/" + ACCOUNT_NAME + ";";
    }

    /** Whether the emulator process is still running. */
    public boolean isRunning() {
        return process.isAlive();
    }

    /** Stops the emulator and removes its data. */
    @Override
    public void close() {
        stop(process, location);
    }

    private static void stop(Process process, Path location) {
        process.descendants().forEach(ProcessHandle::destroy);
        process.destroy();
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.descendants().forEach(ProcessHandle::destroyForcibly);
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        delete(location);
    }

    private static void delete(Path folder) {
        try (Stream<Path> files = Files.walk(folder)) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(file -> file.toFile().delete());
        } catch (IOException e) {
            // a temporary folder left behind is harmless
        }
    }
}
