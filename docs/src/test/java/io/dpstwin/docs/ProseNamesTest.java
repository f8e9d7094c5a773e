package io.dpstwin.docs;

import io.dpstwin.docs.check.FunctionsSettingNames;
import io.dpstwin.docs.check.ProseNames;
import io.dpstwin.docs.check.Repository;
import io.dpstwin.docs.check.SpringMetadata;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every configuration name that README.md, docs/*.md and the samples' README.md put in inline code exists: a
 * {@code DPSTWIN_*} app setting the Functions adapter reads, or a {@code dps-twin.*} property of the Spring starter
 * ({@link ProseNames}).
 */
class ProseNamesTest {

    @TestFactory
    Stream<DynamicTest> everyConfigurationNameInProseExists() {
        return Repository.markdownFiles().stream().map(file -> DynamicTest.dynamicTest(Repository.relative(file),
                () -> assertThat(problems(file)).isEmpty()));
    }

    static List<String> problems(Path file) {
        return ProseNames.problems(file, Repository.read(file).lines().toList(), FunctionsSettingNames.all(),
                SpringMetadata.load());
    }
}
