package io.dpstwin.core.retirement;

/**
 * A retirement could not finish for now, e.g. the twin still had relationships after the configured number of
 * rounds (relationship deletes are eventually consistent, and new relationships may be added concurrently). It is
 * always transient: the whole retirement is idempotent, so running it again later is safe.
 */
public class RetirementIncompleteException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final String twinId;

    public RetirementIncompleteException(String twinId, String message) {
        super(message);
        this.twinId = twinId;
    }

    public String twinId() {
        return twinId;
    }
}
