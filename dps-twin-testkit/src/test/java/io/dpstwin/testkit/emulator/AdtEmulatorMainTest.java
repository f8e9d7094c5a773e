package io.dpstwin.testkit.emulator;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** The command line's answers to help and to bad arguments (a successful start is covered by AdtEmulatorJarIT). */
class AdtEmulatorMainTest {

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    private int run(String... args) {
        return AdtEmulatorMain.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    private String err() {
        return err.toString(StandardCharsets.UTF_8);
    }

    @Test
    void printsHelp() {
        assertThat(run("--help")).isZero();
        assertThat(out.toString(StandardCharsets.UTF_8)).contains("--port <port>").contains("--models <dir>")
                .contains("--relationship-page-size <n>").contains("--endpoint <name>[=<url>]");
    }

    @Test
    void refusesMissingOrBadOptionsWithUsage() {
        assertThat(run()).isEqualTo(2);
        assertThat(err()).contains("--port is required");
        err.reset();
        assertThat(run("--port")).isEqualTo(2);
        assertThat(err()).contains("--port needs a value");
        err.reset();
        assertThat(run("--port", "70000")).isEqualTo(2);
        assertThat(err()).contains("--port must be 0..65535");
        err.reset();
        assertThat(run("--port", "0", "--verbose")).isEqualTo(2);
        assertThat(err()).contains("unknown option --verbose").contains("Usage:");
        err.reset();
        assertThat(run("--port", "0", "--relationship-page-size", "0")).isEqualTo(2);
        assertThat(err()).contains("--relationship-page-size must be at least 1");
        err.reset();
        assertThat(run("--port", "0", "--endpoint", "=https://example.com")).isEqualTo(2);
        assertThat(err()).contains("--endpoint needs a name");
        err.reset();
        assertThat(run("--port", "0", "--endpoint", "hook=ftp://example.com/x")).isEqualTo(2);
        assertThat(err()).contains("the URL of --endpoint hook must be http or https");
    }

    @Test
    void refusesModelsThatDoNotUpload(@TempDir Path directory) throws Exception {
        assertThat(run("--port", "0", "--models", directory.resolve("missing").toString())).isEqualTo(1);
        assertThat(err()).contains("is not a directory");
        err.reset();
        Files.writeString(directory.resolve("broken.json"), "{\"@context\":\"dtmi:dtdl:context;3\","
                + "\"@id\":\"dtmi:a:B;1\",\"@type\":\"Interface\",\"extends\":\"dtmi:a:Missing;1\"}");

        assertThat(run("--port", "0", "--models", directory.toString())).isEqualTo(1);
        assertThat(err()).contains("were not uploaded: DTDLParserError").contains("dtmi:a:Missing;1");
        assertThat(out.toString(StandardCharsets.UTF_8)).isEmpty();
    }
}
