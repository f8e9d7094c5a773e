/**
 * The check that a dps-twin starter runs on the Spring Boot line it is built for, and the failure report that names
 * the right starter when it does not.
 */
package io.dpstwin.spring.bootline;
