/**
 * In-memory IoT hubs' identity registries ({@link io.dpstwin.testkit.registry.InMemoryDeviceRegistry}) for tests of
 * the retire flow's registry guard and of the reconciler: devices with tags, model ids and change times, paged listing,
 * per-minute quotas and injectable throttling.
 */
package io.dpstwin.testkit.registry;
