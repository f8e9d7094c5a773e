package io.dpstwin.samples.spring;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * A Spring Boot application that hosts dps-twin: the DPS custom allocation webhook, the Event Grid endpoint for
 * IoT Hub lifecycle events, health and metrics, all from {@code dps-twin-spring-starter} and
 * {@code application.yml}. With profile {@code local} it runs the offline end-to-end demo against the testkit's
 * ADT emulator (see {@code docs/demo.md}); with {@code --demo.exit=true} it exits when the demo is done, with status
 * 0 only if every outcome matched what the simulation expected.
 */
@SpringBootApplication
public class DpsTwinSampleApplication {

    public static void main(String[] args) {
        ConfigurableApplicationContext context = SpringApplication.run(DpsTwinSampleApplication.class, args);
        if (context.getEnvironment().getProperty("demo.exit", Boolean.class, false)) {
            System.exit(SpringApplication.exit(context));
        }
    }
}
