/** Spring Boot 3.5's health contributor reporting whether Azure Digital Twins is reachable with the application's identity. */
package io.dpstwin.spring.boot3.health;
