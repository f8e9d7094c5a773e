/**
 * The retire flow: parsers turn IoT Hub device lifecycle events, as Event Hubs
 * ({@link io.dpstwin.core.lifecycle.EventHubsLifecycleParser}) or Event Grid and CloudEvents
 * ({@link io.dpstwin.core.lifecycle.EventGridLifecycleParser}) deliver them, into neutral
 * {@link io.dpstwin.core.lifecycle.LifecycleEvent}s, and {@link io.dpstwin.core.lifecycle.LifecycleProcessor}
 * applies a batch: a device deletion retires the device's twin, a creation finds or creates it; each event ends
 * with an {@link io.dpstwin.core.lifecycle.EventOutcome}, and what cannot be applied goes to the
 * {@link io.dpstwin.core.lifecycle.DeadLetterSink}. Configured through
 * {@link io.dpstwin.core.lifecycle.LifecycleOptions}.
 */
package io.dpstwin.core.lifecycle;
