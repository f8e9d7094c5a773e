package io.dpstwin.samples.spring;

import io.dpstwin.testkit.emulator.AdtEmulator;
import org.junit.jupiter.api.Test;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The "Try it by hand" commands of docs/demo.md, run with bash and curl against a live demo (its real port, emulator
 * and certificate put into the block's four variables): each answer the doc shows in a comment is what the demo
 * answers, and the device is provisioned, placed and retired as the doc says.
 */
class DemoDocCommandsTest {

    private static final Path DEMO_DOC = Path.of("../../docs/demo.md");

    @Test
    void theDocumentedCommandsGetTheDocumentedAnswers() throws Exception {
        List<String> block = tryItByHandBlock();
        ConfigurableApplicationContext context = new SpringApplicationBuilder(DpsTwinSampleApplication.class)
                .run("--spring.profiles.active=local", "--demo.fleet-size=0", "--server.port=0",
                        DemoHosts.mqttHostArgument());
        try {
            AdtEmulator emulator = context.getBean(AdtEmulator.class);
            String app = "http://localhost:" + context.getEnvironment().getProperty("local.server.port");
            List<String> script = new ArrayList<>();
            for (String line : block) {
                if (line.startsWith("APP=")) {
                    script.add("APP=" + app);
                } else if (line.startsWith("ADT=")) {
                    script.add("ADT=" + emulator.endpoint());
                } else if (line.startsWith("CERT=")) {
                    script.add("CERT=" + emulator.certificatePath());
                } else {
                    script.add(line);
                }
            }
            assertThat(script).as("the block sets the four variables").filteredOn(l -> l.matches("^(APP|ADT|CERT|KEY)=.*"))
                    .hasSize(4);

            String output = bash(String.join("\n", script) + "\n");

            assertThat(output).contains("\"iotHubHostName\":\"contoso-hub-1.azure-devices.net\"")
                    .contains("\"$dtId\":\"my-thermostat\"")
                    .contains("\"$sourceId\":\"room-102\"").contains("\"$targetId\":\"my-thermostat\"")
                    .contains("\"dryRun\":true")
                    .contains("\"status\":\"UP\"")
                    .contains("\"name\":\"dpstwin.allocations\"");
            for (String line : block) {
                if (line.startsWith("# {") || line.startsWith("# [")) {
                    assertThat(output).as("the documented answer %s", line)
                            .containsSubsequence(line.substring(2).split("\\.\\.\\."));
                }
            }
            assertThat(emulator.engine().twinIds()).as("the device was retired").doesNotContain("my-thermostat");
        } finally {
            SpringApplication.exit(context);
        }
    }

    /** The bash block under "## Try it by hand". */
    private static List<String> tryItByHandBlock() throws Exception {
        List<String> lines = Files.readAllLines(DEMO_DOC, StandardCharsets.UTF_8);
        int section = lines.indexOf("## Try it by hand");
        assertThat(section).as("docs/demo.md has the section").isNotNegative();
        int open = lines.subList(section, lines.size()).indexOf("```bash") + section;
        int close = lines.subList(open + 1, lines.size()).indexOf("```") + open + 1;
        assertThat(open).isGreaterThan(section);
        assertThat(close).isGreaterThan(open);
        return lines.subList(open + 1, close);
    }

    private static String bash(String script) throws Exception {
        Process bash = new ProcessBuilder("bash", "-c", script).redirectErrorStream(true).start();
        byte[] out = bash.getInputStream().readAllBytes();
        assertThat(bash.waitFor(60, TimeUnit.SECONDS)).isTrue();
        String output = new String(out, StandardCharsets.UTF_8);
        assertThat(bash.exitValue()).as("the commands ran: %s", output).isZero();
        return output;
    }
}
