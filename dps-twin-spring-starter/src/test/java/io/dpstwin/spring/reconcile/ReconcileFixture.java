package io.dpstwin.spring.reconcile;

import io.dpstwin.core.twins.DigitalTwin;
import io.dpstwin.testkit.adt.AdtEngine;
import io.dpstwin.testkit.adt.InMemoryDigitalTwins;
import io.dpstwin.testkit.registry.InMemoryDeviceRegistry;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;

/**
 * An in-memory ADT (the testkit's engine) and an in-memory IoT hub with known drift: {@code dev-ok} has its twin,
 * twin {@code twin-orphan} has no device, device {@code dev-missing} has no twin. Both run an hour behind the system
 * clock, so everything they hold is older than the reconciler's grace window without any waiting.
 */
public final class ReconcileFixture {

    public static final String THERMOSTAT = "dtmi:contosocom:DigitalTwins:Thermostat;1";
    public static final String HUB = "hub-a.azure-devices.net";
    public static final String IN_SYNC = "dev-ok";
    public static final String ORPHAN = "twin-orphan";
    public static final String MISSING = "dev-missing";

    private static final Clock AN_HOUR_AGO = Clock.offset(Clock.systemUTC(), Duration.ofHours(-1));

    public final InMemoryDigitalTwins adt;
    public final InMemoryDeviceRegistry hubs;

    private ReconcileFixture() {
        adt = new InMemoryDigitalTwins(AdtEngine.builder().clock(AN_HOUR_AGO).build());
        adt.uploadModels(resource("models/Thermostat.json"), resource("models/Room.json"));
        hubs = InMemoryDeviceRegistry.builder().hubs(HUB).clock(AN_HOUR_AGO).build();
    }

    /** The three devices and twins described above. */
    public static ReconcileFixture withDrift() {
        ReconcileFixture fixture = new ReconcileFixture();
        fixture.hubs.add(HUB, IN_SYNC, Map.of("dtId", IN_SYNC, "dtmi", THERMOSTAT), THERMOSTAT);
        fixture.adt.createTwinIfAbsent(DigitalTwin.of(IN_SYNC, THERMOSTAT));
        fixture.adt.createTwinIfAbsent(DigitalTwin.of(ORPHAN, THERMOSTAT));
        fixture.hubs.add(HUB, MISSING, Map.of("dtmi", THERMOSTAT), null);
        return fixture;
    }

    public boolean twinExists(String twinId) {
        return adt.getTwin(twinId).isPresent();
    }

    private static String resource(String name) {
        try (InputStream in = ReconcileFixture.class.getClassLoader().getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException("missing test resource " + name);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
