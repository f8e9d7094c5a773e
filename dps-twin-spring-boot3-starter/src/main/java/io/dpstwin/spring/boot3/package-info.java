/**
 * The Spring Boot 3.5 starter's own part: its Boot line check and its health contributor; everything else comes from
 * {@code dps-twin-spring-common}.
 */
package io.dpstwin.spring.boot3;
