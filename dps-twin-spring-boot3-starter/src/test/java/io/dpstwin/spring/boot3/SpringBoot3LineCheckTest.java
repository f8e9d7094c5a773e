package io.dpstwin.spring.boot3;

import io.dpstwin.spring.bootline.BootLineCheckContract;
import io.dpstwin.spring.bootline.StarterArtifact;

/** The Boot 3.5 starter's line check, on the Boot 3.5 it is built for. */
class SpringBoot3LineCheckTest extends BootLineCheckContract {

    SpringBoot3LineCheckTest() {
        super(StarterArtifact.BOOT_3, StarterArtifact.BOOT_4, "4.0.7",
                version -> version == null ? new SpringBoot3LineCheck() : new SpringBoot3LineCheck(version));
    }
}
