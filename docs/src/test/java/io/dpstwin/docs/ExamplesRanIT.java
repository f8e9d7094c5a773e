package io.dpstwin.docs;

import io.dpstwin.docs.check.CodeBlock;
import io.dpstwin.docs.check.Snippets;
import org.jacoco.core.analysis.Analyzer;
import org.jacoco.core.analysis.CoverageBuilder;
import org.jacoco.core.analysis.ICounter;
import org.jacoco.core.analysis.ISourceFileCoverage;
import org.jacoco.core.tools.ExecFileLoader;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every Java example of the documentation that is an excerpt of this module's tests was executed by them: the unit
 * tests run under a JaCoCo agent ({@code target/examples.exec}), and each excerpt must have executed at least one
 * line, and no more than a fifth of its lines may be left unexecuted (an untaken branch or error path is fine; an
 * example no test calls is not). Excerpts from other modules (the Functions sample's classes) are executed by those
 * modules' tests.
 */
class ExamplesRanIT {

    private static final String SOURCES = "docs/src/test/java/";
    private static final double MOST_LEFT_UNEXECUTED = 0.2;
    private static final Map<String, ISourceFileCoverage> COVERAGE = new HashMap<>();

    @BeforeAll
    static void readWhatTheTestsExecuted() throws IOException {
        // failsafe sets these after the unit tests ended; a surefire run that matches this class by -Dtest skips it
        Assumptions.assumeTrue(System.getProperty("examples.exec") != null,
                "runs in the integration-test phase, after the unit tests wrote their record");
        Path exec = Path.of(System.getProperty("examples.exec"));
        Path classes = Path.of(System.getProperty("examples.classes"));
        assertThat(exec).as("the unit tests ran under the JaCoCo agent (run them first: ./mvnw verify)").isRegularFile();
        ExecFileLoader loader = new ExecFileLoader();
        loader.load(exec.toFile());
        CoverageBuilder coverage = new CoverageBuilder();
        new Analyzer(loader.getExecutionDataStore(), coverage).analyzeAll(classes.toFile());
        for (ISourceFileCoverage file : coverage.getSourceFiles()) {
            COVERAGE.put(file.getPackageName() + "/" + file.getName(), file);
        }
    }

    @TestFactory
    Stream<DynamicTest> everyExampleOfTheseTestsWasExecuted() {
        List<DynamicTest> tests = new ArrayList<>();
        for (CodeBlock block : CodeBlock.all()) {
            String include = block.include().orElse("");
            if (block.language().equals("java") && include.startsWith(SOURCES) && include.contains("#")) {
                tests.add(DynamicTest.dynamicTest(block.where() + " <- " + include, () -> check(block, include)));
            }
        }
        assertThat(tests).as("the documentation has Java examples from this module").isNotEmpty();
        return tests.stream();
    }

    private static void check(CodeBlock block, String include) {
        Snippets.Region region = Snippets.region(include);
        String path = include.substring(0, include.indexOf('#'));
        ISourceFileCoverage file = COVERAGE.get(path.substring(SOURCES.length()));
        assertThat(file).as("%s: compiled and analysed", path).isNotNull();
        int lines = 0;
        int executed = 0;
        List<Integer> unexecuted = new ArrayList<>();
        for (int line = region.firstLine(); line <= region.lastLine(); line++) {
            int status = file.getLine(line).getStatus();
            if (status == ICounter.EMPTY) {
                continue;
            }
            lines++;
            if (status == ICounter.NOT_COVERED) {
                unexecuted.add(line);
            } else {
                executed++;
            }
        }
        assertThat(executed).as("%s: the example's code ran in a test (%d lines, none executed)", block.where(), lines)
                .isPositive();
        assertThat(unexecuted.size()).as("%s: lines of the example no test executed: %s", block.where(), unexecuted)
                .isLessThanOrEqualTo((int) Math.floor(lines * MOST_LEFT_UNEXECUTED));
    }
}
