/**
 * Event Grid on the test side: {@link io.dpstwin.testkit.eventgrid.LifecycleWebhook} receives the emulated hubs' Event
 * Grid push of device lifecycle events and hands them to a {@code LifecycleProcessor}, as an adapter's webhook does.
 */
package io.dpstwin.testkit.eventgrid;
