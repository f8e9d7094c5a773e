package io.dpstwin.spring.webhook;

import jakarta.servlet.http.HttpServletRequest;

import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;

/**
 * Reads a request body without trusting the client: never more than {@code limit + 1} bytes are read, whatever
 * {@code Content-Length} says (chunked bodies have none), so an oversized body costs at most the limit in memory.
 */
final class BoundedBody {

    /** The body was larger than the limit. */
    static final class TooLargeException extends Exception {
        private static final long serialVersionUID = 1L;

        TooLargeException() {
            super("request body too large", null, false, false);
        }
    }

    private BoundedBody() {
    }

    /**
     * @throws TooLargeException when {@code Content-Length} announces, or the stream delivers, more than
     *                           {@code limit} bytes
     */
    static byte[] read(HttpServletRequest request, int limit) throws IOException, TooLargeException {
        long announced = request.getContentLengthLong();
        if (announced > limit) {
            throw new TooLargeException();
        }
        int initial = announced >= 0 ? (int) announced : Math.min(limit, 8192);
        byte[] buffer = new byte[Math.max(initial, 1) + 1];
        int length = 0;
        try (InputStream in = request.getInputStream()) {
            while (true) {
                if (length == buffer.length) {
                    if (length > limit) {
                        throw new TooLargeException();
                    }
                    buffer = Arrays.copyOf(buffer, (int) Math.min((long) limit + 1, (long) buffer.length * 2));
                }
                int read = in.read(buffer, length, buffer.length - length);
                if (read < 0) {
                    break;
                }
                length += read;
                if (length > limit) {
                    throw new TooLargeException();
                }
            }
        }
        return Arrays.copyOf(buffer, length);
    }
}
