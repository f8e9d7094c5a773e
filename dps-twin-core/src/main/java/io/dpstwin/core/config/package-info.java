/**
 * The settings of dps-twin, declared once ({@link io.dpstwin.core.config.DpsTwinSettings}) and read the same way by
 * every host: Spring binds their names, a Functions app reads their environment form, and
 * {@link io.dpstwin.core.config.CoreOptions} maps them to core's options.
 */
package io.dpstwin.core.config;
