package io.dpstwin.testkit.adt;

import io.dpstwin.core.twins.AdtErrorCodes;

/**
 * An injected fault: the request gets no answer. The HTTPS emulator closes the connection without a response; the
 * in-memory fake throws this (status 0, {@link AdtErrorCodes#TRANSPORT_ERROR}), as a gateway reports a lost
 * connection.
 */
public class ConnectionDroppedException extends AdtServiceException {

    private static final long serialVersionUID = 1L;

    public ConnectionDroppedException(AdtOperation operation) {
        super(0, AdtErrorCodes.TRANSPORT_ERROR, "The connection was dropped without an answer (injected fault on "
                + operation + ").");
    }
}
