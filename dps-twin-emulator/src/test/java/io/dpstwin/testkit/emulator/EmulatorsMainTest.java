package io.dpstwin.testkit.emulator;

import io.dpstwin.testkit.device.SharedAccessSignature;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;

/** The command line of the standalone emulators, in process: options, errors and the {@code sas} command. */
class EmulatorsMainTest {

    private static final String KEY_1 = "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=";
    private static final String KEY_2 = "Hx4dHBsaGRgXFhUUExIREA8ODQwLCgkIBwYFBAMCAQA=";

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    @TempDir
    Path directory;

    private int run(String... args) {
        return EmulatorsMain.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    @Test
    void printsHelp() {
        assertThat(run("--help")).isZero();
        assertThat(out.toString(StandardCharsets.UTF_8)).contains("--connection-file").contains("--mqtt-port")
                .contains("sas --connection-file");
    }

    @Test
    void refusesUnknownOptionsBadPortsAndDpsOptionsWithoutDps() {
        assertThat(run("--nope")).isEqualTo(2);
        assertThat(run("--mqtt-port", "eighty")).isEqualTo(2);
        assertThat(run("--adt-port", "70000")).isEqualTo(2);
        assertThat(run("--hub", "127.0.0.1", "--webhook", "http://localhost/allocate")).isEqualTo(2);
        assertThat(run("--dps", "--models", "models")).isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8))
                .contains("unknown option --nope")
                .contains("--mqtt-port needs a port number, not eighty")
                .contains("--adt-port must be 0..65535")
                .contains("DPS options need --dps")
                .contains("--models needs --adt");
    }

    @Test
    void defaultsToAllThreeWithOneHubAndOneGroup() {
        EmulatorsMain.Options options = EmulatorsMain.Options.parse(new String[0]);

        assertThat(options.adt).isTrue();
        assertThat(options.dps).isTrue();
        assertThat(options.hubs).containsOnlyKeys("127.0.0.1");
        assertThat(options.groups).containsExactly("default-group");
        assertThat(options.mqttPort).isEqualTo(8883);

        EmulatorsMain.Options subset = EmulatorsMain.Options.parse(new String[]{"--hub", "a.test=8443",
                "--hub", "b.test"});
        assertThat(subset.adt).isFalse();
        assertThat(subset.dps).isFalse();
        assertThat(subset.hubs).containsEntry("a.test", 8443).containsEntry("b.test", 0);
        assertThat(subset.groups).isEmpty();
    }

    @Test
    void signsAServiceTokenForTheNamedHubOfAConnectionFile() throws Exception {
        Path file = directory.resolve("emulators.json");
        Files.writeString(file, """
                {"iotHubs": [
                  {"hostName": "127.0.0.1", "name": "127.0.0.1", "sharedAccessKeyName": "iothubowner",
                   "sharedAccessKey": "%s"},
                  {"hostName": "hub-2.localtest", "name": "hub-2", "sharedAccessKeyName": "iothubowner",
                   "sharedAccessKey": "%s"}]}""".formatted(KEY_1, KEY_2));

        assertThat(run("sas", "--connection-file", file.toString(), "--hub", "hub-2", "--ttl", "600")).isZero();

        SharedAccessSignature token = SharedAccessSignature.parse(out.toString(StandardCharsets.UTF_8).trim());
        assertThat(token.resource()).isEqualTo("hub-2.localtest");
        assertThat(token.keyName()).contains("iothubowner");
        assertThat(token.isSignedWith(KEY_2)).isTrue();
        assertThat(token.isSignedWith(KEY_1)).isFalse();
        assertThat(token.expiry()).isBetween(Instant.now().plus(Duration.ofMinutes(9)),
                Instant.now().plus(Duration.ofMinutes(11)));
        assertThat(err.toString(StandardCharsets.UTF_8)).isEmpty();
    }

    @Test
    void theSasCommandNamesWhatIsMissing() throws Exception {
        Path file = Files.writeString(directory.resolve("adt-only.json"), "{\"adt\": {\"endpoint\": \"x\"}}");

        assertThat(run("sas")).isEqualTo(2);
        assertThat(run("sas", "--connection-file", file.toString())).isEqualTo(2);
        assertThat(run("sas", "--connection-file", file.toString(), "--hub", "ghost")).isEqualTo(2);
        assertThat(run("sas", "--connection-file", directory.resolve("missing.json").toString())).isEqualTo(1);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("sas needs --connection-file")
                .contains("lists no IoT hub").contains("no IoT hub ghost").contains("cannot read");
        assertThat(out.toString(StandardCharsets.UTF_8)).isEmpty();
    }
}
