/**
 * The Azure Functions sample: one function class per trigger (the DPS allocation webhook, the Event Hubs and Event
 * Grid lifecycle triggers, the reconcile timer), each a one-line call into {@code dps-twin-functions-adapter}.
 */
package io.dpstwin.samples.functions;
