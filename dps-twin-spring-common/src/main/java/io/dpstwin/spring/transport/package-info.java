/**
 * The HTTP transport under the Azure SDK clients: {@link io.dpstwin.spring.transport.AdtHttpTransport} picks one
 * present on the class path (the JDK client first) and builds it with
 * {@link io.dpstwin.spring.transport.TransportOptions}. No Spring types, so every starter line shares it.
 */
package io.dpstwin.spring.transport;
