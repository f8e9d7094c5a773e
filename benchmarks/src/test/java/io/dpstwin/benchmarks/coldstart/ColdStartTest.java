package io.dpstwin.benchmarks.coldstart;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class ColdStartTest {

    @Test
    void readsTheProbesLineWithAnAnswerThatHoldsSpacesAndEqualsSigns() {
        Map<String, String> fields = ColdStart.fields("COLDSTART ok=true build_ms=12.5 call_ms=340.0 "
                + "answer={\"a\":\"x = y\"}");

        assertThat(fields).containsEntry("ok", "true").containsEntry("build_ms", "12.5")
                .containsEntry("call_ms", "340.0").containsEntry("answer", "{\"a\":\"x = y\"}");
    }

    @Test
    void groupsClassesByLibraryWithTheFirstMatchingPrefix() {
        assertThat(ColdStart.groupOf("io.dpstwin.core.DpsTwin")).isEqualTo("dps-twin");
        assertThat(ColdStart.groupOf("io.github.resilience4j.retry.Retry")).isEqualTo("resilience4j");
        assertThat(ColdStart.groupOf("com.azure.identity.DefaultAzureCredential"))
                .isEqualTo("credential (azure-identity, MSAL)");
        assertThat(ColdStart.groupOf("com.azure.core.http.HttpClient"))
                .isEqualTo("Azure SDK (azure-core, digitaltwins)");
        assertThat(ColdStart.groupOf("java.lang.String")).isEqualTo("JDK");
        assertThat(ColdStart.groupOf("org.example.Other")).isEqualTo("other");
    }

    @Test
    void theMedianOfAnEvenCountIsTheMeanOfTheMiddleTwoAndAFailedStartMakesItUnknown() {
        assertThat(ColdStart.median(List.of(4.0, 1.0, 3.0, 2.0))).isEqualTo(2.5);
        assertThat(ColdStart.median(List.of(5.0, 1.0, 3.0))).isEqualTo(3.0);
        assertThat(ColdStart.median(List.of(1.0, Double.NaN))).isNaN();
        assertThat(ColdStart.median(List.of())).isNaN();
    }
}
