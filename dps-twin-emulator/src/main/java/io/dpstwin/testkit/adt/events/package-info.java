/**
 * ADT's event routes as the engine emulates them: the endpoints and routes
 * ({@link io.dpstwin.testkit.adt.events.EventRoutes}), the route filter language
 * ({@link io.dpstwin.testkit.adt.events.RouteFilter}) and the CloudEvents notifications and telemetry messages they
 * deliver ({@link io.dpstwin.testkit.adt.events.DigitalTwinsEvent}).
 */
package io.dpstwin.testkit.adt.events;
