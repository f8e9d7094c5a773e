package io.dpstwin.spring.autoconfigure;

import com.azure.core.http.HttpClient;
import io.dpstwin.core.DpsTwin;
import io.dpstwin.core.config.CoreOptions;
import io.dpstwin.core.config.DpsTwinSettings;
import io.dpstwin.spring.transport.AdtHttpTransport;
import io.dpstwin.spring.transport.TransportOptions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Lazy;
import org.springframework.core.io.ResourceLoader;

/**
 * The azure-core {@link HttpClient} under the ADT client and the credential: the first {@link AdtHttpTransport} of
 * {@link AdtHttpTransport#PREFERENCE} on the class path (the JDK client when {@code azure-core-http-jdk-httpclient}
 * is there, as this starter brings it), with the {@code dps-twin.digital-twins} timeouts. An application's own
 * {@link HttpClient} bean replaces it.
 */
@AutoConfiguration(before = DpsTwinAutoConfiguration.class)
@ConditionalOnClass({DpsTwin.class, HttpClient.class})
@ConditionalOnBooleanProperty(name = "dps-twin.enabled", matchIfMissing = true)
public class DpsTwinHttpClientAutoConfiguration {

    private static final Logger LOG = LoggerFactory.getLogger(DpsTwinHttpClientAutoConfiguration.class);

    /** Lazy: an application that brings its own client or gateway never builds it. */
    @Bean
    @Lazy
    @ConditionalOnMissingBean(HttpClient.class)
    public HttpClient dpsTwinHttpClient(CoreOptions options, ResourceLoader resourceLoader) {
        AdtHttpTransport transport = AdtHttpTransport.choose(resourceLoader.getClassLoader());
        LOG.info("dps-twin talks to Azure over the {} HTTP transport ({})", transport, transport.artifact());
        return transport.create(TransportOptions.of(options.values().get(DpsTwinSettings.ADT_CONNECT_TIMEOUT),
                options.values().get(DpsTwinSettings.ADT_REQUEST_TIMEOUT)));
    }
}
