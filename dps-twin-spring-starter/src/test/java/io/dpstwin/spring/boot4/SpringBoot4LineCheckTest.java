package io.dpstwin.spring.boot4;

import io.dpstwin.spring.bootline.BootLineCheckContract;
import io.dpstwin.spring.bootline.StarterArtifact;

/** The Boot 4 starter's line check, on the Boot 4.0 it is built for. */
class SpringBoot4LineCheckTest extends BootLineCheckContract {

    SpringBoot4LineCheckTest() {
        super(StarterArtifact.BOOT_4, StarterArtifact.BOOT_3, "3.5.7",
                version -> version == null ? new SpringBoot4LineCheck() : new SpringBoot4LineCheck(version));
    }
}
