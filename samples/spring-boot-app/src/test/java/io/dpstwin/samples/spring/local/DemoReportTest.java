package io.dpstwin.samples.spring.local;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class DemoReportTest {

    @Test
    void exitsWithZeroOnlyWhenEveryOutcomeMatches() {
        DemoStep good = new DemoStep("register", "dev-1", "hub", "dev-1", "200", "200");
        DemoStep bad = new DemoStep("delete", "dev-2", "hub", "dev-2", "twin gone", "Thermostat twin");

        assertThat(new DemoReport(List.of(good)).exitCode()).isZero();
        DemoReport failed = new DemoReport(List.of(good, bad));
        assertThat(failed.exitCode()).isEqualTo(1);
        assertThat(failed.mismatches()).containsExactly(bad);
        assertThat(failed.render()).contains("MISMATCH").contains("RESULT: 1 of 2 outcomes differ from the expected");
    }

    @Test
    void rendersAnAlignedTable() {
        String table = new DemoReport(List.of(
                new DemoStep("register", "thermostat-001", "hub-1", "thermostat-001", "200", "200"),
                new DemoStep("re-register", "t-2", "-", "-", "200, same hub", "200, same hub"))).render();
        List<String> lines = table.lines().toList();
        assertThat(lines.get(0)).startsWith("step        | device         | hub   | twin id");
        assertThat(lines.get(2).indexOf("| thermostat-001")).isEqualTo(lines.get(3).indexOf("| t-2"));
        assertThat(table).contains("RESULT: all 2 outcomes as expected");
    }
}
