/**
 * The DPS custom allocation flow: {@link io.dpstwin.core.allocation.DpsAllocationHandler} turns the raw body DPS
 * POSTs into the HTTP answer (200 with {@code iotHubHostName}/{@code initialTwin}/{@code payload}, 400 for permanent
 * rejections, 413 for oversized bodies, 429/503 so that DPS retries), after finding or creating the device's
 * digital twin and optionally placing it under a parent twin. The typed wire model
 * ({@link io.dpstwin.core.allocation.AllocationRequest}, {@link io.dpstwin.core.allocation.AllocationResponse}) and
 * the policies a user may vary ({@link io.dpstwin.core.allocation.HubSelectionPolicy},
 * {@link io.dpstwin.core.allocation.ModelResolver}, {@link io.dpstwin.core.allocation.InitialPropertiesProvider},
 * {@link io.dpstwin.core.allocation.Placement}, {@link io.dpstwin.core.allocation.DevicePayloadProvider}) live here,
 * configured through {@link io.dpstwin.core.allocation.AllocationOptions}.
 */
package io.dpstwin.core.allocation;
