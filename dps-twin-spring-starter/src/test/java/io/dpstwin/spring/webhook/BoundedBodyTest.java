package io.dpstwin.spring.webhook;

import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletInputStream;
import org.junit.jupiter.api.Test;
import org.springframework.mock.web.MockHttpServletRequest;

import java.io.IOException;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class BoundedBodyTest {

    @Test
    void readsABodyUpToTheLimit() throws Exception {
        MockHttpServletRequest request = new MockHttpServletRequest("POST", "/");
        request.setContent(new byte[100]);
        assertThat(BoundedBody.read(request, 100)).hasSize(100);
    }

    @Test
    void refusesAnAnnouncedOversizedBodyWithoutReadingIt() {
        MockHttpServletRequest request = new MockHttpServletRequest("POST", "/");
        request.setContent(new byte[101]);
        assertThatThrownBy(() -> BoundedBody.read(request, 100)).isInstanceOf(BoundedBody.TooLargeException.class);
    }

    @Test
    void readsAtMostOneByteBeyondTheLimitOfAnEndlessUnannouncedBody() {
        AtomicLong served = new AtomicLong();
        MockHttpServletRequest request = new MockHttpServletRequest("POST", "/") {
            @Override
            public long getContentLengthLong() {
                return -1;
            }

            @Override
            public ServletInputStream getInputStream() {
                return new EndlessStream(served);
            }
        };
        assertThatThrownBy(() -> BoundedBody.read(request, 50_000)).isInstanceOf(BoundedBody.TooLargeException.class);
        assertThat(served.get()).isEqualTo(50_001);
    }

    @Test
    void readsAnEmptyBody() throws Exception {
        MockHttpServletRequest request = new MockHttpServletRequest("POST", "/");
        assertThat(BoundedBody.read(request, 10)).isEmpty();
    }

    /** A chunked body that never ends, counting what it served. */
    private static final class EndlessStream extends ServletInputStream {
        private final AtomicLong served;

        EndlessStream(AtomicLong served) {
            this.served = served;
        }

        @Override
        public int read() {
            served.incrementAndGet();
            return 'x';
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            for (int i = 0; i < len; i++) {
                b[off + i] = 'x';
            }
            served.addAndGet(len);
            return len;
        }

        @Override
        public boolean isFinished() {
            return false;
        }

        @Override
        public boolean isReady() {
            return true;
        }

        @Override
        public void setReadListener(ReadListener listener) {
            throw new UnsupportedOperationException();
        }
    }
}
