package io.dpstwin.docs;

import io.dpstwin.docs.check.CodeBlock;
import io.dpstwin.docs.check.Repository;
import org.jacoco.core.analysis.Analyzer;
import org.jacoco.core.analysis.CoverageBuilder;
import org.jacoco.core.analysis.ICounter;
import org.jacoco.core.analysis.ISourceFileCoverage;
import org.jacoco.core.tools.ExecFileLoader;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

import java.io.IOException;
import java.nio.file.Files;
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
        Path exec = Path.of(System.getProperty("examples.exec", "target/examples.exec"));
        Path classes = Path.of(System.getProperty("examples.classes", "target/test-classes"));
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

    private static void check(CodeBlock block, String include) throws IOException {
        String path = include.substring(0, include.indexOf('#'));
        String tag = include.substring(include.indexOf('#') + 1);
        List<String> source = Files.readAllLines(Repository.root().resolve(path));
        int from = -1;
        int to = -1;
        for (int i = 0; i < source.size(); i++) {
            if (source.get(i).contains("tag::" + tag + "[]")) {
                from = i + 1;                       // first line of the region, 0-based index = 1-based line - 1
            } else if (from >= 0 && source.get(i).contains("end::" + tag + "[]")) {
                to = i;
                break;
            }
        }
        assertThat(from).as("%s: the region exists", include).isNotNegative();
        ISourceFileCoverage file = COVERAGE.get(path.substring(SOURCES.length()));
        assertThat(file).as("%s: compiled and analysed", path).isNotNull();
        int lines = 0;
        int executed = 0;
        List<Integer> unexecuted = new ArrayList<>();
        for (int line = from + 1; line <= to; line++) {     // 1-based line numbers inside the region
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
