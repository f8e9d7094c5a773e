/**
 * Azure Digital Twins access: the {@link io.dpstwin.core.twins.DigitalTwinsGateway} interface, its implementation on
 * the official SDK ({@link io.dpstwin.core.twins.SdkDigitalTwinsGateway}) and the decorators
 * {@link io.dpstwin.core.twins.DigitalTwinsGateways} stacks over it (rate limits, the shared
 * {@link io.dpstwin.core.internal.twins.BudgetedRetry}, metrics); find-or-create
 * ({@link io.dpstwin.core.internal.twins.FindOrCreateTwin}), twin ids ({@link io.dpstwin.core.twins.TwinIdStrategy}) and
 * DTMIs ({@link io.dpstwin.core.twins.Dtmi}).
 */
package io.dpstwin.core.twins;
