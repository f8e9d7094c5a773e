/** What is particular to the Spring Boot 4 starter besides its health contributor: its Boot line check. */
package io.dpstwin.spring.boot4;
