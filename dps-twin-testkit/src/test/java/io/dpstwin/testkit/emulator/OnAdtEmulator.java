package io.dpstwin.testkit.emulator;

import com.azure.digitaltwins.core.DigitalTwinsAsyncClient;
import com.azure.digitaltwins.core.DigitalTwinsClient;
import io.dpstwin.testkit.adt.InMemoryDigitalTwins;
import org.junit.jupiter.api.BeforeEach;

/**
 * A test against the class's {@link io.dpstwin.testkit.junit.AdtEmulatorExtension}: before each test (after the
 * extension's reset) it holds the emulator and what tests reach it through.
 */
public abstract class OnAdtEmulator {

    /** The running emulator. */
    protected AdtEmulator emulator;
    /** The emulator's SDK client. */
    protected DigitalTwinsClient client;
    /** An asynchronous SDK client of the emulator. */
    protected DigitalTwinsAsyncClient asyncClient;
    /** What the emulator was asked. */
    protected RequestJournal journal;
    /** The emulator's engine, read directly (no HTTP). */
    protected InMemoryDigitalTwins adt;

    @BeforeEach
    void bindEmulator(AdtEmulator running) {
        emulator = running;
        client = running.client();
        asyncClient = running.clientBuilder().buildAsyncClient();
        journal = running.journal();
        adt = new InMemoryDigitalTwins(running.engine());
    }
}
