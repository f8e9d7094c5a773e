/** The actuator health contributor reporting whether Azure Digital Twins is reachable with the application's identity. */
package io.dpstwin.spring.health;
