package io.dpstwin.spring.boot4;

import io.dpstwin.spring.bootline.BootLineCheck;
import io.dpstwin.spring.bootline.StarterArtifact;

import java.util.function.Supplier;

/** Fails the start of an application that runs this Spring Boot 4 starter on another Boot line. */
public class SpringBoot4LineCheck extends BootLineCheck {

    /** Checks the Spring Boot on the class path. */
    public SpringBoot4LineCheck() {
        super(StarterArtifact.BOOT_4);
    }

    /** @param bootVersion the Spring Boot version to check (tests) */
    SpringBoot4LineCheck(Supplier<String> bootVersion) {
        super(StarterArtifact.BOOT_4, bootVersion);
    }
}
