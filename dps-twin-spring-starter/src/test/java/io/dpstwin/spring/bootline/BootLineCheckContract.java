package io.dpstwin.spring.bootline;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.SpringBootVersion;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.diagnostics.FailureAnalyzer;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.ApplicationContextInitializer;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.io.support.SpringFactoriesLoader;
import org.springframework.core.io.support.SpringFactoriesLoader.FailureHandler;

import java.util.function.Function;
import java.util.function.Supplier;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * What each starter's Boot line check must do, run by both starters on their own Boot line: pass on its line, fail
 * the start on the other line naming the right starter (in the exception and in Boot's failure report), name both
 * starters on a line without one, let an unreadable version pass, and be registered with Spring Boot.
 */
@ExtendWith(OutputCaptureExtension.class)
public abstract class BootLineCheckContract {

    private final StarterArtifact starter;
    private final StarterArtifact otherStarter;
    private final String otherLineVersion;
    private final Function<Supplier<String>, BootLineCheck> checks;

    /**
     * @param starter          this starter
     * @param otherStarter     the starter of the other Boot line
     * @param otherLineVersion a Boot version of the other line, e.g. {@code 3.5.7}
     * @param checks           this starter's line check reading the Boot version from the supplier, or from Boot
     *                         when given {@code null}
     */
    protected BootLineCheckContract(StarterArtifact starter, StarterArtifact otherStarter, String otherLineVersion,
                                    Function<Supplier<String>, BootLineCheck> checks) {
        this.starter = starter;
        this.otherStarter = otherStarter;
        this.otherLineVersion = otherLineVersion;
        this.checks = checks;
    }

    private String testedLinePrefix() {
        return starter.bootLine() + ".";
    }

    private String line() {
        return starter.bootLine() + ".x";
    }

    private String otherLine() {
        return otherStarter.bootLine() + ".x";
    }

    @Test
    void theStarterRunsOnTheBootLineItIsTestedWith() {
        assertThat(SpringBootVersion.getVersion()).startsWith(testedLinePrefix());
        assertThatCode(() -> checks.apply(null).check()).doesNotThrowAnyException();
    }

    @Test
    void onTheOtherLineTheStarterFailsNamingTheOtherStarter() {
        assertThatThrownBy(() -> checks.apply(() -> otherLineVersion).check())
                .isInstanceOfSatisfying(WrongBootLineException.class, e -> {
                    assertThat(e.starter()).isEqualTo(starter);
                    assertThat(e.bootVersion()).isEqualTo(otherLineVersion);
                    assertThat(e.rightStarter()).contains(otherStarter);
                })
                .hasMessageContaining(starter.artifactId() + " is built for Spring Boot " + line())
                .hasMessageContaining("io.dpstwin:" + otherStarter.artifactId());
    }

    @Test
    void theFailureAnalyzerTellsToReplaceTheStarterWithTheOtherOne() {
        WrongBootLineException wrongLine = new WrongBootLineException(starter, otherLineVersion, otherStarter);
        FailureAnalysis analysis = new WrongBootLineFailureAnalyzer().analyze(
                new IllegalStateException("context failed", wrongLine));
        assertThat(analysis.getDescription()).isEqualTo("io.dpstwin:" + starter.artifactId() + " is built for "
                + "Spring Boot " + line() + ", but this application runs Spring Boot " + otherLineVersion + ".");
        assertThat(analysis.getAction()).startsWith("Replace io.dpstwin:" + starter.artifactId() + " with "
                + "io.dpstwin:" + otherStarter.artifactId() + ", the dps-twin starter for Spring Boot " + otherLine());
    }

    @Test
    void onABootLineWithoutAStarterTheAnalyzerNamesBothStarters() {
        assertThatThrownBy(() -> checks.apply(() -> "2.7.18").check())
                .isInstanceOfSatisfying(WrongBootLineException.class, e -> {
                    assertThat(e.rightStarter()).isEmpty();
                    FailureAnalysis analysis = new WrongBootLineFailureAnalyzer().analyze(e);
                    assertThat(analysis.getAction()).contains("io.dpstwin:dps-twin-spring-starter")
                            .contains("io.dpstwin:dps-twin-spring-boot3-starter");
                });
    }

    @Test
    void anUnreadableBootVersionLetsTheStartGoOn() {
        assertThatCode(() -> checks.apply(() -> null).check()).doesNotThrowAnyException();
        assertThatCode(() -> checks.apply(() -> "unknown").check()).doesNotThrowAnyException();
    }

    @Test
    void theStarterRegistersItsLineCheckAndTheAnalyzerWithSpringBoot() {
        Class<?> checkType = checks.apply(null).getClass();
        SpringFactoriesLoader factories = SpringFactoriesLoader.forDefaultResourceLocation();
        assertThat(factories.load(ApplicationContextInitializer.class))
                .anySatisfy(initializer -> assertThat(initializer).isInstanceOf(checkType));
        // Boot's own analyzers need constructor arguments that only SpringApplication hands over: leave them out
        assertThat(factories.load(FailureAnalyzer.class, FailureHandler.handleMessage((message, failure) -> { })))
                .anySatisfy(analyzer -> assertThat(analyzer).isInstanceOf(WrongBootLineFailureAnalyzer.class));
    }

    @Test
    void anApplicationOnTheWrongBootLineFailsToStartWithTheReportNamingTheRightStarter(CapturedOutput output) {
        SpringApplication application = new SpringApplication(EmptyApplication.class);
        application.setWebApplicationType(WebApplicationType.NONE);
        application.addInitializers(checks.apply(() -> otherLineVersion));
        assertThatThrownBy(() -> application.run("--dps-twin.enabled=false"))
                .isInstanceOf(WrongBootLineException.class);
        assertThat(output).contains("APPLICATION FAILED TO START")
                .contains("io.dpstwin:" + starter.artifactId() + " is built for Spring Boot " + line()
                        + ", but this application runs Spring Boot " + otherLineVersion + ".")
                .contains("Replace io.dpstwin:" + starter.artifactId() + " with io.dpstwin:"
                        + otherStarter.artifactId());
    }

    @Configuration(proxyBeanMethods = false)
    static class EmptyApplication {
    }
}
