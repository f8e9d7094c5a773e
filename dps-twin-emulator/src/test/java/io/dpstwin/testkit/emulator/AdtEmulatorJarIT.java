package io.dpstwin.testkit.emulator;

import com.fasterxml.jackson.databind.JsonNode;
import io.dpstwin.testkit.adt.AdtJson;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Starts the standalone emulator jar as users do ({@code java -jar dps-twin-emulator.jar --port 0 --models DIR})
 * and calls it with {@code curl -k} (or, without curl, a trust-all JDK client).
 */
class AdtEmulatorJarIT {

    private static final Pattern LISTENING = Pattern.compile("^ADT emulator listening on (https://localhost:(\\d+))$");

    @TempDir
    Path directory;

    @Test
    void runsFromTheCommandLineAndAnswersCurl() throws Exception {
        Path jar = Path.of(System.getProperty("emulator.jar", "target/dps-twin-emulator.jar"));
        assertThat(jar).exists();
        Path models = Files.createDirectory(directory.resolve("models"));
        Files.writeString(models.resolve("a-gateway.json"), """
                {"@context": "dtmi:dtdl:context;2", "@id": "dtmi:com:example:cli:Gateway;1", "@type": "Interface",
                 "contents": [{"@type": "Property", "name": "name", "schema": "string"}]}""");
        Files.writeString(models.resolve("b-devices.json"), """
                [{"@context": "dtmi:dtdl:context;3", "@id": "dtmi:com:example:cli:Device;1", "@type": "Interface",
                  "contents": [{"@type": "Relationship", "name": "connectedTo"}]},
                 {"@context": "dtmi:dtdl:context;3", "@id": "dtmi:com:example:cli:Sensor;1", "@type": "Interface",
                  "extends": "dtmi:com:example:cli:Device;1"}]""");
        Files.writeString(models.resolve("notes.txt"), "not a model");
        Process process = start(jar, "--port", "0", "--models", models.toString());
        try {
            BufferedReader stdout = stdout(process);
            String endpoint = listeningEndpoint(stdout);
            String second = CompletableFuture.supplyAsync(() -> readLine(stdout)).get(10, TimeUnit.SECONDS);
            assertThat(second).startsWith("Certificate (PEM): ");
            Path pem = Path.of(second.substring("Certificate (PEM): ".length()));
            assertThat(Files.readString(pem)).startsWith("-----BEGIN CERTIFICATE-----");

            Optional<Path> curl = Programs.onPath("curl");
            if (curl.isPresent()) {
                Answer models1 = curl(curl.get(), "-k", "-H", "Authorization: Bearer x",
                        endpoint + "/models?api-version=2023-10-31");
                assertThat(models1.status()).isEqualTo(200);
                assertThat(AdtJson.parse(models1.body()).get("value")).hasSize(3);
                Answer put = curl(curl.get(), "--cacert", pem.toString(), "-X", "PUT",
                        "-H", "Authorization: Bearer x", "-H", "Content-Type: application/json",
                        "-d", "{\"$metadata\":{\"$model\":\"dtmi:com:example:cli:Gateway;1\"},\"name\":\"gw\"}",
                        endpoint + "/digitaltwins/gw-1?api-version=2023-10-31");
                assertThat(put.status()).as("PUT trusting the PEM: %s", put.body()).isEqualTo(200);
                assertThat(AdtJson.parse(put.body()).get("$etag").asText()).startsWith("W/\"");
                Answer model = curl(curl.get(), "-k", "-H", "Authorization: Bearer x",
                        endpoint + "/models/dtmi:com:example:cli:Sensor;1?includeModelDefinition=true");
                assertThat(model.status()).isEqualTo(200);
                assertThat(AdtJson.parse(model.body()).at("/model/extends").asText())
                        .isEqualTo("dtmi:com:example:cli:Device;1");
                Answer unauthorized = curl(curl.get(), "-k", endpoint + "/digitaltwins/gw-1");
                assertThat(unauthorized.status()).isEqualTo(401);
            } else {
                HttpClient client = HttpClient.newBuilder().sslContext(trustAll()).build();
                HttpResponse<String> response = client.send(HttpRequest.newBuilder(
                                URI.create(endpoint + "/models?api-version=2023-10-31"))
                        .header("Authorization", "Bearer x").build(), HttpResponse.BodyHandlers.ofString());
                assertThat(response.statusCode()).isEqualTo(200);
                JsonNode body = AdtJson.parse(response.body());
                assertThat(body.get("value")).hasSize(3);
            }
        } finally {
            process.destroy();
        }
        assertThat(process.waitFor(30, TimeUnit.SECONDS)).as("stops on SIGTERM").isTrue();
        assertThat(stderr()).doesNotContain("Exception");
    }

    @Test
    void pagesAndPrintsRoutedEventsAsConfiguredOnTheCommandLine() throws Exception {
        Path jar = Path.of(System.getProperty("emulator.jar", "target/dps-twin-emulator.jar"));
        Path models = Files.createDirectory(directory.resolve("models"));
        Files.writeString(models.resolve("device.json"), """
                {"@context": "dtmi:dtdl:context;3", "@id": "dtmi:com:example:cli:Device;1", "@type": "Interface",
                 "contents": [{"@type": "Relationship", "name": "peer"}]}""");
        Process process = start(jar, "--port", "0", "--models", models.toString(), "--relationship-page-size", "1",
                "--endpoint", "printed");
        try {
            BufferedReader stdout = stdout(process);
            String endpoint = listeningEndpoint(stdout);
            readLine(stdout);
            HttpClient client = HttpClient.newBuilder().sslContext(trustAll()).build();
            String device = "{\"$metadata\":{\"$model\":\"dtmi:com:example:cli:Device;1\"}}";

            assertThat(send(client, "PUT", endpoint + "/eventroutes/all", "{\"endpointName\":\"printed\","
                    + "\"filter\":\"type = 'Microsoft.DigitalTwins.Twin.Create'\"}").statusCode()).isEqualTo(204);
            for (String id : List.of("a", "b", "c")) {
                assertThat(send(client, "PUT", endpoint + "/digitaltwins/" + id, device).statusCode()).isEqualTo(200);
            }
            send(client, "PUT", endpoint + "/digitaltwins/a/relationships/r1", "{\"$targetId\":\"b\","
                    + "\"$relationshipName\":\"peer\"}");
            send(client, "PUT", endpoint + "/digitaltwins/a/relationships/r2", "{\"$targetId\":\"c\","
                    + "\"$relationshipName\":\"peer\"}");
            JsonNode page = AdtJson.parse(send(client, "GET", endpoint + "/digitaltwins/a/relationships", null).body());

            assertThat(page.get("value")).hasSize(1);
            assertThat(page.get("nextLink").asText()).startsWith(endpoint + "/digitaltwins/a/relationships?");
            for (String id : List.of("a", "b", "c")) {
                String line = CompletableFuture.supplyAsync(() -> readLine(stdout)).get(10, TimeUnit.SECONDS);
                JsonNode event = AdtJson.parse(line);
                assertThat(event.get("type").asText()).isEqualTo("Microsoft.DigitalTwins.Twin.Create");
                assertThat(event.get("subject").asText()).isEqualTo(id);
            }
        } finally {
            process.destroy();
        }
        assertThat(process.waitFor(30, TimeUnit.SECONDS)).as("stops on SIGTERM").isTrue();
    }

    private Process start(Path jar, String... options) throws IOException {
        List<String> command = new ArrayList<>(List.of(Programs.java(), "-jar", jar.toString()));
        command.addAll(List.of(options));
        return new ProcessBuilder(command).redirectError(directory.resolve("stderr.txt").toFile()).start();
    }

    private static BufferedReader stdout(Process process) {
        return new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
    }

    /** Reads the first line, {@code ADT emulator listening on <endpoint>}, and returns the endpoint. */
    private String listeningEndpoint(BufferedReader stdout) throws Exception {
        String first = CompletableFuture.supplyAsync(() -> readLine(stdout)).get(60, TimeUnit.SECONDS);
        Matcher matcher = LISTENING.matcher(String.valueOf(first));
        assertThat(matcher.matches()).as("first line %s (stderr: %s)", first, stderr()).isTrue();
        return matcher.group(1);
    }

    private static HttpResponse<String> send(HttpClient client, String method, String url, String body)
            throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url)).header("Authorization", "Bearer x")
                .header("Content-Type", "application/json");
        request.method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                : HttpRequest.BodyPublishers.ofString(body));
        return client.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void refusesBadArgumentsWithUsage() throws Exception {
        Path jar = Path.of(System.getProperty("emulator.jar", "target/dps-twin-emulator.jar"));
        String java = Programs.java();
        Process process = new ProcessBuilder(java, "-jar", jar.toString(), "--port", "eighty")
                .redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);

        assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).isEqualTo(2);
        assertThat(output).contains("not a number").contains("Usage: java -jar dps-twin-emulator.jar");
    }

    private record Answer(int status, String body) {
    }

    private Answer curl(Path curl, String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(curl.toString(), "-s", "-w", "\n%{http_code}"));
        command.addAll(List.of(args));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
        int newline = output.lastIndexOf('\n');
        return new Answer(Integer.parseInt(output.substring(newline + 1).trim()), output.substring(0, newline));
    }

    private String stderr() {
        try {
            Path file = directory.resolve("stderr.txt");
            return Files.exists(file) ? Files.readString(file) : "";
        } catch (IOException e) {
            return "(unreadable: " + e + ")";
        }
    }

    private static String readLine(BufferedReader reader) {
        try {
            return reader.readLine();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static SSLContext trustAll() throws Exception {
        TrustManager trustAll = new X509TrustManager() {
            @Override
            public void checkClientTrusted(X509Certificate[] chain, String authType) {
                // trust everything: this client only talks to the emulator under test
            }

            @Override
            public void checkServerTrusted(X509Certificate[] chain, String authType) {
                // trust everything: this client only talks to the emulator under test
            }

            @Override
            public X509Certificate[] getAcceptedIssuers() {
                return new X509Certificate[0];
            }
        };
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, new TrustManager[]{trustAll}, null);
        return context;
    }
}
