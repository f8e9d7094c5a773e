/**
 * The entry point of dps-twin's core: {@link io.dpstwin.core.DpsTwin} builds the three flows (allocation,
 * lifecycle, reconcile) over one ADT gateway, {@link io.dpstwin.core.WebhookResponse} is the host-neutral HTTP
 * answer every adapter copies unchanged (errors made by {@link io.dpstwin.core.WebhookResponse#error}, with the
 * codes of {@link io.dpstwin.core.WebhookErrorCodes}), and {@link io.dpstwin.core.DpsTwinMeters} names every meter
 * the core records.
 */
package io.dpstwin.core;
