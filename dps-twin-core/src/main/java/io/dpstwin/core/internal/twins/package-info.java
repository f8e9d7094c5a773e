/**
 * Not API: the ADT machinery behind {@link io.dpstwin.core.twins.DigitalTwinsGateways} and the flows. It may change
 * or go in any release; adapters and samples never use it (ArchUnit checks it). The retry and metrics layers of the
 * gateway stack ({@link io.dpstwin.core.internal.twins.RetryingDigitalTwinsGateway},
 * {@link io.dpstwin.core.internal.twins.MeteredDigitalTwinsGateway}; build them with
 * {@code DigitalTwinsGateways}), the retry every flow shares ({@link io.dpstwin.core.internal.twins.BudgetedRetry};
 * configure it with {@link io.dpstwin.core.twins.RetryBudget}) and find-or-create
 * ({@link io.dpstwin.core.internal.twins.FindOrCreateTwin}, which the allocation, lifecycle and reconcile flows run).
 */
package io.dpstwin.core.internal.twins;
