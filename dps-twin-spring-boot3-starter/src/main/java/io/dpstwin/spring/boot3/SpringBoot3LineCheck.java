package io.dpstwin.spring.boot3;

import io.dpstwin.spring.bootline.BootLineCheck;
import io.dpstwin.spring.bootline.StarterArtifact;

import java.util.function.Supplier;

/** Fails the start of an application that runs this Spring Boot 3.5 starter on another Boot line. */
public class SpringBoot3LineCheck extends BootLineCheck {

    /** Checks the Spring Boot on the class path. */
    public SpringBoot3LineCheck() {
        super(StarterArtifact.BOOT_3);
    }

    /** @param bootVersion the Spring Boot version to check (tests) */
    SpringBoot3LineCheck(Supplier<String> bootVersion) {
        super(StarterArtifact.BOOT_3, bootVersion);
    }
}
