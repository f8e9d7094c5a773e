package io.dpstwin.testkit.adt.query;

/**
 * A query the emulator does not understand ({@code 400 SqlQueryError}); the message says what was not understood
 * and where.
 */
public class QueryException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public QueryException(String message) {
        super(message);
    }
}
