/**
 * Azure Functions (Java) adapter of dps-twin: handlers that an app's thin {@code @FunctionName} methods delegate to
 * (DPS allocation webhook on an HTTP trigger, lifecycle events on Event Hubs and Event Grid triggers, the reconciler on
 * a timer trigger), settings read from app settings, and the once-per-process lazy
 * {@link io.dpstwin.functions.LazyDpsTwin}. Translation only: the behaviour is core's. Start at
 * {@link io.dpstwin.functions.DpsTwinFunctions}; see {@code docs/functions.md}.
 */
package io.dpstwin.functions;
