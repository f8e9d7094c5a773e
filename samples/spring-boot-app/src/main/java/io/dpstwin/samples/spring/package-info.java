/**
 * The Spring Boot sample: {@link io.dpstwin.samples.spring.DpsTwinSampleApplication} is all a service needs besides
 * the {@code dps-twin.*} properties; its {@code local} profile (package {@code local}) runs the offline demo.
 */
package io.dpstwin.samples.spring;
