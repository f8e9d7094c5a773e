/**
 * The names of the meters the Spring starter records itself ({@link io.dpstwin.spring.metrics.SpringMeters}).
 */
package io.dpstwin.spring.metrics;
