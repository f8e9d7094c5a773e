/**
 * The HTTP endpoints: the DPS custom allocation webhook and the Event Grid endpoint for IoT Hub lifecycle events,
 * behind a function key check ({@link io.dpstwin.spring.webhook.WebhookKeys}) and a filter that keeps keys out of
 * logs; every answer is JSON and no body is read beyond its limit.
 */
package io.dpstwin.spring.webhook;
