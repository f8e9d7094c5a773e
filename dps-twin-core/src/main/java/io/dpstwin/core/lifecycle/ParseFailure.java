package io.dpstwin.core.lifecycle;

/** Why one message could not be parsed; becomes the reason of an {@link UnparseableEvent}. Never carries a body. */
final class ParseFailure extends Exception {

    private static final long serialVersionUID = 1L;

    ParseFailure(String reason) {
        super(reason, null, false, false);
    }
}
