/**
 * JUnit 5 extensions giving tests an ADT emulator ({@link io.dpstwin.testkit.junit.AdtEmulatorTest}) or an
 * in-memory fake ({@link io.dpstwin.testkit.junit.InMemoryDigitalTwinsTest}), and DPS with IoT hubs
 * ({@link io.dpstwin.testkit.junit.DpsEmulatorTest}).
 */
package io.dpstwin.testkit.junit;
