package io.dpstwin.docs.spring.testing;

import org.springframework.boot.autoconfigure.SpringBootApplication;

/** The application {@link ProvisioningTest} starts: nothing but the starter's auto-configuration. */
@SpringBootApplication
class ProvisioningTestApplication {
}
