package io.dpstwin.testkit.adt.dtdl;

/**
 * A DTDL interface that ADT would refuse to upload ({@code 400 DTDLParserError}); the message says what is wrong and
 * where.
 */
public class DtdlException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public DtdlException(String message) {
        super(message);
    }
}
