package io.dpstwin.samples.spring;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The runnable sample jar is what a user deploys: it embeds the runtime emulators for its {@code local} profile,
 * but never a test library.
 */
class SampleJarIT {

    private static List<String> libraries() throws IOException {
        Path jar = Path.of(System.getProperty("sample.jar", "target/dps-twin-sample.jar"));
        assertThat(jar).as("the repackaged sample jar").exists();
        try (JarFile file = new JarFile(jar.toFile())) {
            return file.stream()
                    .map(JarEntry::getName)
                    .filter(name -> name.startsWith("BOOT-INF/lib/") && name.endsWith(".jar"))
                    .map(name -> name.substring("BOOT-INF/lib/".length()))
                    .toList();
        }
    }

    @Test
    void carriesTheRuntimeEmulatorsButNoTestLibrary() throws IOException {
        List<String> libraries = libraries();
        assertThat(libraries).anyMatch(name -> name.startsWith("dps-twin-emulator-"));
        assertThat(libraries)
                .noneMatch(name -> name.startsWith("junit-") || name.startsWith("assertj-")
                        || name.startsWith("opentest4j-") || name.startsWith("dps-twin-testkit-")
                        || name.startsWith("mockito-") || name.startsWith("hamcrest-"));
    }

    @Test
    void seesEveryLibraryOfTheJar() throws IOException {
        assertThat(Files.size(Path.of(System.getProperty("sample.jar", "target/dps-twin-sample.jar"))))
                .isGreaterThan(1_000_000L);
        assertThat(libraries()).anyMatch(name -> name.startsWith("dps-twin-core-"))
                .anyMatch(name -> name.startsWith("spring-boot-"));
    }
}
