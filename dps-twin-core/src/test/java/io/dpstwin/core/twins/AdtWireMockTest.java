package io.dpstwin.core.twins;

import com.github.tomakehurst.wiremock.WireMockServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;

/** The base of tests against {@link AdtWireMock}: one HTTPS server per test class, its stubs reset before each test. */
abstract class AdtWireMockTest {

    static WireMockServer adt;

    @BeforeAll
    static void startAdt() {
        adt = AdtWireMock.startHttps();
    }

    @AfterAll
    static void stopAdt() {
        adt.stop();
    }

    @BeforeEach
    void resetAdt() {
        adt.resetAll();
    }
}
