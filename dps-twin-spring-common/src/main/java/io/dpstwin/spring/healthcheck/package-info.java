/** The Boot-line-neutral check behind each starter's {@code dpsTwin} health contributor. */
package io.dpstwin.spring.healthcheck;
