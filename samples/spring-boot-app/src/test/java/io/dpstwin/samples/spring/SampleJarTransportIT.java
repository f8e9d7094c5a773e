package io.dpstwin.samples.spring;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.jar.JarFile;
import java.util.zip.ZipEntry;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The packaged sample carries exactly one azure-core HTTP transport: the JDK client, not azure-core-http-netty nor
 * reactor-netty. Netty itself is there only for the embedded emulators' MQTT listener (the demo's device side), all
 * on one Netty version.
 */
class SampleJarTransportIT {

    private static List<String> libraries() throws IOException {
        Path jar = Path.of(System.getProperty("sample.jar", "target/dps-twin-sample.jar"));
        assertThat(jar).as("run after package").exists();
        try (JarFile file = new JarFile(jar.toFile())) {
            return file.stream().map(ZipEntry::getName)
                    .filter(name -> name.startsWith("BOOT-INF/lib/"))
                    .map(name -> name.substring("BOOT-INF/lib/".length()))
                    .toList();
        }
    }

    @Test
    void carriesTheJdkTransportAndNoOther() throws IOException {
        List<String> libraries = libraries();

        assertThat(libraries).filteredOn(name -> name.startsWith("azure-core-http-"))
                .singleElement().asString().startsWith("azure-core-http-jdk-httpclient-");
        assertThat(libraries).noneMatch(name -> name.startsWith("azure-core-http-netty-")
                || name.startsWith("reactor-netty-"));
        assertThat(libraries).filteredOn(name -> name.startsWith("netty-") && !name.startsWith("netty-tcnative"))
                .extracting(name -> name.substring(name.lastIndexOf('-') + 1))
                .as("one Netty version").containsOnly(libraries.stream()
                        .filter(name -> name.startsWith("netty-common-")).findFirst()
                        .map(name -> name.substring(name.lastIndexOf('-') + 1)).orElse("none"));
    }
}
