package io.dpstwin.spring.boot3;

import io.dpstwin.spring.bootline.StarterArtifact;
import io.dpstwin.spring.bootline.WrongBootLineException;
import io.dpstwin.spring.bootline.WrongBootLineFailureAnalyzer;
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

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

@ExtendWith(OutputCaptureExtension.class)
class SpringBoot3LineCheckTest {

    @Test
    void theBoot35StarterRunsOnTheBoot35ItIsTestedWith() {
        assertThat(SpringBootVersion.getVersion()).startsWith("3.5.");
        assertThatCode(() -> new SpringBoot3LineCheck().check()).doesNotThrowAnyException();
    }

    @Test
    void onBoot4TheBoot35StarterFailsNamingTheBoot4Starter() {
        assertThatThrownBy(() -> new SpringBoot3LineCheck(() -> "4.0.7").check())
                .isInstanceOfSatisfying(WrongBootLineException.class, e -> {
                    assertThat(e.starter()).isEqualTo(StarterArtifact.BOOT_3);
                    assertThat(e.bootVersion()).isEqualTo("4.0.7");
                    assertThat(e.rightStarter()).contains(StarterArtifact.BOOT_4);
                })
                .hasMessageContaining("dps-twin-spring-boot3-starter is built for Spring Boot 3.5.x")
                .hasMessageContaining("io.dpstwin:dps-twin-spring-starter");
    }

    @Test
    void theFailureAnalyzerTellsToReplaceTheBoot35StarterWithTheBoot4One() {
        WrongBootLineException wrongLine = new WrongBootLineException(StarterArtifact.BOOT_3, "4.0.7",
                StarterArtifact.BOOT_4);
        FailureAnalysis analysis = new WrongBootLineFailureAnalyzer().analyze(
                new IllegalStateException("context failed", wrongLine));
        assertThat(analysis.getDescription()).isEqualTo("io.dpstwin:dps-twin-spring-boot3-starter is built for "
                + "Spring Boot 3.5.x, but this application runs Spring Boot 4.0.7.");
        assertThat(analysis.getAction()).startsWith("Replace io.dpstwin:dps-twin-spring-boot3-starter with "
                + "io.dpstwin:dps-twin-spring-starter, the dps-twin starter for Spring Boot 4.0.x");
    }

    @Test
    void onABootLineWithoutAStarterTheAnalyzerNamesBothStarters() {
        assertThatThrownBy(() -> new SpringBoot3LineCheck(() -> "2.7.18").check())
                .isInstanceOfSatisfying(WrongBootLineException.class, e -> {
                    assertThat(e.rightStarter()).isEmpty();
                    FailureAnalysis analysis = new WrongBootLineFailureAnalyzer().analyze(e);
                    assertThat(analysis.getAction()).contains("io.dpstwin:dps-twin-spring-boot3-starter")
                            .contains("io.dpstwin:dps-twin-spring-starter");
                });
    }

    @Test
    void anUnreadableBootVersionLetsTheStartGoOn() {
        assertThatCode(() -> new SpringBoot3LineCheck(() -> null).check()).doesNotThrowAnyException();
        assertThatCode(() -> new SpringBoot3LineCheck(() -> "unknown").check()).doesNotThrowAnyException();
    }

    @Test
    void theStarterRegistersItsLineCheckAndTheAnalyzerWithSpringBoot() {
        SpringFactoriesLoader factories = SpringFactoriesLoader.forDefaultResourceLocation();
        assertThat(factories.load(ApplicationContextInitializer.class))
                .anySatisfy(initializer -> assertThat(initializer).isInstanceOf(SpringBoot3LineCheck.class));
        // Boot's own analyzers need constructor arguments that only SpringApplication hands over: leave them out
        assertThat(factories.load(FailureAnalyzer.class, FailureHandler.handleMessage((message, failure) -> { })))
                .anySatisfy(analyzer -> assertThat(analyzer).isInstanceOf(WrongBootLineFailureAnalyzer.class));
    }

    @Test
    void anApplicationOnTheWrongBootLineFailsToStartWithTheReportNamingTheRightStarter(CapturedOutput output) {
        SpringApplication application = new SpringApplication(EmptyApplication.class);
        application.setWebApplicationType(WebApplicationType.NONE);
        application.addInitializers(new SpringBoot3LineCheck(() -> "4.0.7"));
        assertThatThrownBy(() -> application.run("--dps-twin.enabled=false"))
                .isInstanceOf(WrongBootLineException.class);
        assertThat(output).contains("APPLICATION FAILED TO START")
                .contains("io.dpstwin:dps-twin-spring-boot3-starter is built for Spring Boot 3.5.x, but this "
                        + "application runs Spring Boot 4.0.7.")
                .contains("Replace io.dpstwin:dps-twin-spring-boot3-starter with io.dpstwin:dps-twin-spring-starter");
    }

    @Configuration(proxyBeanMethods = false)
    static class EmptyApplication {
    }
}
