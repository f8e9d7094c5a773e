/**
 * Not API: helpers of core's flows that more than one package needs, each the one home of its rule. They may change
 * or go in any release; adapters and samples never use them (ArchUnit checks it), and no public type of core hands
 * one out. {@link io.dpstwin.core.internal.support.Identifiers} (registration, device, module and twin id syntax),
 * {@link io.dpstwin.core.internal.support.HubNames} (comparing hub names and host names),
 * {@link io.dpstwin.core.internal.support.IotHubClients} (one IoT Hub service client per hub),
 * {@link io.dpstwin.core.internal.support.SafeObservations} (Micrometer observations whose failing handler never fails a flow),
 * {@link io.dpstwin.core.internal.support.EarlierMeters} (a rebuilt component's meters replace the ones it replaced),
 * {@link io.dpstwin.core.internal.support.SlidingWindowLimiter} (every client-side rate limiter) and
 * {@link io.dpstwin.core.internal.support.BoundedExecutor} (the flows' workers, on a host's executor or a pool of
 * their own).
 */
package io.dpstwin.core.internal.support;
