/**
 * What retiring a twin means: a {@link io.dpstwin.core.retirement.RetirementPolicy} (by default
 * {@link io.dpstwin.core.retirement.DeleteTwinPolicy}: incoming and outgoing relationships first, then the twin;
 * or {@link io.dpstwin.core.retirement.DetachTwinPolicy}) applied to a
 * {@link io.dpstwin.core.retirement.RetirementRequest}, and the optional
 * {@link io.dpstwin.core.retirement.DeviceRegistry} guard that keeps the twin of a device that still exists in a
 * hub.
 */
package io.dpstwin.core.retirement;
