/**
 * Azure Digital Twins access: the {@link io.dpstwin.core.twins.DigitalTwinsGateway} interface, its implementation on
 * the official SDK ({@link io.dpstwin.core.twins.SdkDigitalTwinsGateway}), the client factory
 * {@link io.dpstwin.core.twins.DigitalTwinsClients}, and {@link io.dpstwin.core.twins.DigitalTwinsGateways}, which
 * stacks the rate-limiting, retry and metrics layers over a gateway (options: {@link io.dpstwin.core.twins.AdtRateLimits},
 * {@link io.dpstwin.core.twins.AdtRateLimiters} shared per process, {@link io.dpstwin.core.twins.RetryBudget}); twin
 * ids ({@link io.dpstwin.core.twins.TwinIdStrategy}), DTMIs ({@link io.dpstwin.core.twins.Dtmi}) and ADT's errors
 * ({@link io.dpstwin.core.twins.AdtException}, {@link io.dpstwin.core.twins.AdtErrorCodes}). The layers themselves and
 * find-or-create are in {@code io.dpstwin.core.internal.twins}.
 */
package io.dpstwin.core.twins;
