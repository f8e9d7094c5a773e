package io.dpstwin.spring.transport;

import com.azure.core.http.jdk.httpclient.JdkHttpClientBuilder;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.FilteredClassLoader;

import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class AdtHttpTransportTest {

    private final ClassLoader loader = getClass().getClassLoader();

    @Test
    void prefersTheJdkTransport() {
        assertThat(AdtHttpTransport.choose(loader)).isEqualTo(AdtHttpTransport.JDK);
    }

    @Test
    void followsTheGivenPreference() {
        assertThat(AdtHttpTransport.choose(loader, List.of(AdtHttpTransport.NETTY, AdtHttpTransport.JDK)))
                .isEqualTo(AdtHttpTransport.NETTY);
    }

    @Test
    void skipsATransportThatIsNotThere() {
        assertThat(AdtHttpTransport.choose(new FilteredClassLoader(JdkHttpClientBuilder.class)))
                .isEqualTo(AdtHttpTransport.NETTY);
    }

    @Test
    void refusesNonPositiveTimeouts() {
        assertThatThrownBy(() -> TransportOptions.of(Duration.ZERO, Duration.ofSeconds(1)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("connectTimeout");
        assertThatThrownBy(() -> TransportOptions.of(Duration.ofSeconds(1), Duration.ofSeconds(-1)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("requestTimeout");
    }
}
