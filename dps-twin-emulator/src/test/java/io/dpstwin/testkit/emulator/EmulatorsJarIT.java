package io.dpstwin.testkit.emulator;

import com.azure.core.credential.AccessToken;
import com.azure.core.credential.AzureSasCredential;
import com.azure.core.credential.TokenCredential;
import com.azure.core.http.netty.NettyAsyncHttpClientBuilder;
import com.azure.digitaltwins.core.BasicDigitalTwin;
import com.azure.digitaltwins.core.DigitalTwinsClient;
import com.azure.digitaltwins.core.DigitalTwinsClientBuilder;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.microsoft.azure.sdk.iot.service.exceptions.IotHubUnauthorizedException;
import com.microsoft.azure.sdk.iot.service.registry.Device;
import com.microsoft.azure.sdk.iot.service.registry.RegistryClient;
import com.microsoft.azure.sdk.iot.provisioning.device.ProvisioningDeviceClient;
import com.microsoft.azure.sdk.iot.provisioning.device.ProvisioningDeviceClientRegistrationResult;
import com.microsoft.azure.sdk.iot.provisioning.device.ProvisioningDeviceClientStatus;
import com.microsoft.azure.sdk.iot.provisioning.device.ProvisioningDeviceClientTransportProtocol;
import com.microsoft.azure.sdk.iot.provisioning.security.SecurityProviderSymmetricKey;
import io.dpstwin.testkit.iothub.emulator.SasTokens;
import io.netty.handler.ssl.SslContextBuilder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import reactor.core.publisher.Mono;

import javax.net.ssl.HttpsURLConnection;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarFile;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Runs {@code dps-twin-emulators.jar} as users do, as a separate process, waits for its connection file, then drives
 * it with the official Java SDKs ({@code RegistryClient} with an {@code AzureSasCredential} on {@code host:port},
 * {@code DigitalTwinsClient} trusting the CA) and {@code curl --cacert} with a token from its {@code sas} command.
 */
class EmulatorsJarIT {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path directory;

    @Test
    void theJarCarriesNoTestLibrary() throws IOException {
        try (JarFile jar = new JarFile(jar().toFile())) {
            List<String> names = jar.stream().map(java.util.jar.JarEntry::getName).toList();
            assertThat(names).contains("io/dpstwin/testkit/emulator/EmulatorsMain.class",
                    "io/dpstwin/testkit/dps/emulator/DpsEmulator.class",
                    "io/dpstwin/testkit/iothub/emulator/IotHubEmulator.class");
            assertThat(names).noneMatch(name -> name.startsWith("org/junit/") || name.startsWith("org/assertj/")
                    || name.startsWith("org/opentest4j/") || name.startsWith("net/jqwik/")
                    || name.startsWith("ch/qos/logback/"));
            assertThat(jar.getManifest().getMainAttributes().getValue("Main-Class"))
                    .isEqualTo(EmulatorsMain.class.getName());
        }
    }

    @Test
    void writesTheConnectionFileAndServesTheSdksAndCurl() throws Exception {
        Path connectionFile = directory.resolve("out/emulators.json");
        // MQTT on a free port: parallel builds may hold 8883; HTTPS clients are what this test drives
        Process process = start("--mqtt-port", "0", "--connection-file", connectionFile.toString());
        try {
            JsonNode connection = awaitConnectionFile(process, connectionFile);
            Path pem = Path.of(connection.get("caCertificatePem").asText());
            assertThat(Files.readString(pem)).startsWith("-----BEGIN CERTIFICATE-----");
            assertThat(connection.at("/adt/endpoint").asText()).matches("https://localhost:\\d+");
            JsonNode dps = connection.get("dps");
            assertThat(dps.get("globalEndpoint").asText()).matches("localhost:\\d+");
            assertThat(dps.get("httpsEndpoint").asText()).matches("https://localhost:\\d+");
            assertThat(dps.get("idScope").asText()).startsWith("0ne");
            assertThat(dps.get("enrollmentGroups")).hasSize(1);
            assertThat(dps.at("/enrollmentGroups/0/enrollmentGroupId").asText()).isEqualTo("default-group");
            assertThat(Base64.getDecoder().decode(dps.at("/enrollmentGroups/0/primaryKey").asText())).hasSize(32);
            assertThat(connection.get("iotHubs")).hasSize(1);
            JsonNode hub = connection.at("/iotHubs/0");
            assertThat(hub.get("hostName").asText()).isEqualTo("127.0.0.1");
            assertThat(hub.get("httpsEndpoint").asText()).matches("https://localhost:\\d+");
            assertThat(hub.get("sharedAccessKeyName").asText()).isEqualTo("iothubowner");
            String key = hub.get("sharedAccessKey").asText();
            assertThat(Base64.getDecoder().decode(key)).isNotEmpty();
            String stdout = Files.readString(directory.resolve("stdout.txt"));
            assertThat(stdout).as("keys go to the connection file only").doesNotContain(key)
                    .doesNotContain(dps.at("/enrollmentGroups/0/primaryKey").asText());

            X509Certificate ca = (X509Certificate) CertificateFactory.getInstance("X.509")
                    .generateCertificate(Files.newInputStream(pem));

            // RegistryClient on host:port with a service SAS token whose sr is the hub's host name
            // tag::sdk[]
            HttpsURLConnection.setDefaultSSLSocketFactory(trusting(ca).getSocketFactory());
            String serviceHost = hub.get("httpsEndpoint").asText().substring("https://".length());
            String token = SasTokens.create(hub.get("hostName").asText(), "iothubowner", key,
                    Instant.now().plus(Duration.ofHours(1)));
            RegistryClient registry = new RegistryClient(serviceHost, new AzureSasCredential(token));
            Device created = registry.addDevice(new Device("standalone-1"));
            // end::sdk[]
            assertThat(created.getDeviceId()).isEqualTo("standalone-1");
            assertThat(registry.getDevice("standalone-1").getETag()).isEqualTo(created.getETag());
            String foreign = SasTokens.create("another-hub.azure-devices.net", "iothubowner", key,
                    Instant.now().plus(Duration.ofHours(1)));
            assertThatThrownBy(() -> new RegistryClient(serviceHost, new AzureSasCredential(foreign))
                    .getDevice("standalone-1")).isInstanceOf(IotHubUnauthorizedException.class);

            // a registration through provisioning-device-client over HTTPS (host:port), with the derived key
            // tag::provisioning[]
            String groupKey = dps.at("/enrollmentGroups/0/primaryKey").asText();
            byte[] deviceKey = SecurityProviderSymmetricKey.ComputeDerivedSymmetricKey(
                    groupKey.getBytes(StandardCharsets.UTF_8), "standalone-dps-1");
            SSLContext trustingCa = trusting(ca);
            SecurityProviderSymmetricKey security = new SecurityProviderSymmetricKey(deviceKey, "standalone-dps-1") {
                @Override
                public SSLContext getSSLContext() {
                    return trustingCa;
                }
            };
            ProvisioningDeviceClient provisioning = ProvisioningDeviceClient.create(
                    dps.get("httpsEndpoint").asText().substring("https://".length()), dps.get("idScope").asText(),
                    ProvisioningDeviceClientTransportProtocol.HTTPS, security);
            try {
                ProvisioningDeviceClientRegistrationResult result = provisioning.registerDeviceSync();
                assertThat(result.getProvisioningDeviceClientStatus())
                        .isEqualTo(ProvisioningDeviceClientStatus.PROVISIONING_DEVICE_STATUS_ASSIGNED);
                assertThat(result.getIothubUri()).isEqualTo("127.0.0.1");
                assertThat(result.getDeviceId()).isEqualTo("standalone-dps-1");
            } finally {
                provisioning.close();
            }
            // end::provisioning[]
            assertThat(registry.getDevice("standalone-dps-1").getPrimaryKey())
                    .isEqualTo(new String(deviceKey, StandardCharsets.UTF_8));

            // DigitalTwinsClient trusting the CA
            // tag::adt[]
            TokenCredential anyToken = request -> Mono.just(new AccessToken("x", OffsetDateTime.now().plusHours(1)));
            DigitalTwinsClient twins = new DigitalTwinsClientBuilder()
                    .endpoint(connection.at("/adt/endpoint").asText())
                    .credential(anyToken)
                    .httpClient(new NettyAsyncHttpClientBuilder(reactor.netty.http.client.HttpClient.create()
                            .secure(spec -> spec.sslContext(sslContext(ca)))).build())
                    .buildClient();
            // end::adt[]
            twins.createModels(List.of("""
                    {"@context": "dtmi:dtdl:context;3", "@id": "dtmi:com:example:standalone:Thermostat;1",
                     "@type": "Interface", "contents": [{"@type": "Property", "name": "t", "schema": "double"}]}"""));
            BasicDigitalTwin twin = new BasicDigitalTwin("thermo-1")
                    .setMetadata(new com.azure.digitaltwins.core.BasicDigitalTwinMetadata()
                            .setModelId("dtmi:com:example:standalone:Thermostat;1"))
                    .addToContents("t", 21.5);
            twins.createOrReplaceDigitalTwin("thermo-1", twin, BasicDigitalTwin.class);
            assertThat(twins.getDigitalTwin("thermo-1", BasicDigitalTwin.class).getContents()).containsEntry("t", 21.5);

            // curl --cacert, with the token the jar's sas command prints
            Optional<Path> curl = Programs.onPath("curl");
            if (curl.isPresent()) {
                Run sas = run(List.of(Programs.java(), "-jar", jar().toString(), "sas", "--connection-file",
                        connectionFile.toString()));
                assertThat(sas.status()).isZero();
                assertThat(sas.output().trim()).startsWith("SharedAccessSignature sr=127.0.0.1&sig=")
                        .contains("&skn=iothubowner");
                Run get = run(List.of(curl.get().toString(), "-s", "-w", "\n%{http_code}", "--cacert", pem.toString(),
                        "-H", "Authorization: " + sas.output().trim(),
                        hub.get("httpsEndpoint").asText() + "/devices/standalone-1?api-version=2021-04-12"));
                assertThat(get.output()).endsWith("\n200");
                assertThat(JSON.readTree(get.output().substring(0, get.output().lastIndexOf('\n')))
                        .get("deviceId").asText()).isEqualTo("standalone-1");
            }

            // the curl tour of docs/testing.md: hub service API, a DPS registration over HTTPS, ADT
            if (curl.isPresent() && Programs.onPath("jq").isPresent() && Programs.onPath("openssl").isPresent()) {
                ProcessBuilder tour = new ProcessBuilder("bash", "-e", "src/test/resources/emulators-curl.sh")
                        .redirectErrorStream(true);
                tour.environment().put("CONNECTION_FILE", connectionFile.toString());
                Process run = tour.start();
                String output = new String(run.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
                assertThat(run.waitFor(60, TimeUnit.SECONDS)).isTrue();
                assertThat(run.exitValue()).as(output).isZero();
                assertThat(output).contains("\"deviceId\":\"curl-1\"").contains("\n204\n")
                        .contains("\"status\":\"assigned\"").contains("\"assignedHub\":\"127.0.0.1\"")
                        .contains("\"deviceId\":\"curl-device-1\"").contains("{\"value\":[{\"id\":");
                assertThat(registry.getDevice("curl-device-1").getPrimaryKey()).isNotBlank();
            }
        } finally {
            process.destroy();
        }
        assertThat(process.waitFor(30, TimeUnit.SECONDS)).as("stops on SIGTERM").isTrue();
        assertThat(Files.readString(directory.resolve("stderr.txt"))).doesNotContain("Exception");
    }

    @Test
    void runsASubsetAndNamesTheOptionWhenTheMqttPortIsTaken() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            Run refused = run(List.of(Programs.java(), "-jar", jar().toString(), "--dps", "--mqtt-port",
                    Integer.toString(taken.getLocalPort())));
            assertThat(refused.status()).isEqualTo(1);
            assertThat(refused.output()).contains("error: cannot listen for MQTT on")
                    .contains(":" + taken.getLocalPort()).contains("--mqtt-port");
        }

        Path connectionFile = directory.resolve("hubs.json");
        Process process = start("--hub", "127.0.0.1", "--hub", "hub-2.localtest", "--mqtt-port", "0",
                "--connection-file", connectionFile.toString());
        try {
            JsonNode connection = awaitConnectionFile(process, connectionFile);
            assertThat(connection.has("adt")).isFalse();
            assertThat(connection.has("dps")).isFalse();
            assertThat(connection.get("iotHubs")).extracting(h -> h.get("hostName").asText())
                    .containsExactly("127.0.0.1", "hub-2.localtest");
            assertThat(connection.at("/iotHubs/0/sharedAccessKey").asText())
                    .isNotEqualTo(connection.at("/iotHubs/1/sharedAccessKey").asText());
        } finally {
            process.destroy();
        }
        assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
    }

    // ---------------------------------------------------------------------------------------------------- helpers

    private static Path jar() {
        Path jar = Path.of(System.getProperty("emulators.jar", "target/dps-twin-emulators.jar"));
        assertThat(jar).exists();
        return jar;
    }

    private Process start(String... options) throws IOException {
        List<String> command = new ArrayList<>(List.of(Programs.java(), "-jar", jar().toString()));
        command.addAll(List.of(options));
        return new ProcessBuilder(command)
                .redirectOutput(directory.resolve("stdout.txt").toFile())
                .redirectError(directory.resolve("stderr.txt").toFile())
                .start();
    }

    private JsonNode awaitConnectionFile(Process process, Path file) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
        while (!Files.exists(file)) {
            assertThat(process.isAlive()).as("the emulator exited: %s",
                    Files.readString(directory.resolve("stderr.txt"))).isTrue();
            assertThat(System.nanoTime()).as("no connection file after 90 s").isLessThan(deadline);
            Thread.sleep(100);
        }
        return JSON.readTree(file.toFile());
    }

    private record Run(int status, String output) {
    }

    private static Run run(List<String> command) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output;
        try (InputStream in = process.getInputStream()) {
            output = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        return new Run(process.exitValue(), output);
    }

    private static SSLContext trusting(X509Certificate ca) throws Exception {
        KeyStore store = KeyStore.getInstance("PKCS12");
        store.load(null, null);
        store.setCertificateEntry("emulator-ca", ca);
        TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        trust.init(store);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, trust.getTrustManagers(), null);
        return context;
    }

    private static io.netty.handler.ssl.SslContext sslContext(X509Certificate ca) {
        try {
            return SslContextBuilder.forClient().trustManager(ca).build();
        } catch (javax.net.ssl.SSLException e) {
            throw new IllegalStateException(e);
        }
    }
}
