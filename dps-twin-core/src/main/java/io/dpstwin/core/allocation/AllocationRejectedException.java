package io.dpstwin.core.allocation;

import java.util.Objects;
import java.util.regex.Pattern;

/**
 * A permanent refusal of an allocation: {@link DpsAllocationHandler} answers 400 with this code and message and
 * writes nothing more to ADT. Custom policies ({@link HubSelectionPolicy}, {@link ModelResolver},
 * {@link ParentTwinResolver}, ...) throw it to reject a device with a reason of their own.
 */
public class AllocationRejectedException extends RuntimeException {

    private static final long serialVersionUID = 1L;
    private static final Pattern CODE = Pattern.compile("[A-Z][A-Za-z0-9]{0,63}");

    private final String code;

    /**
     * @param code    a stable PascalCase code such as {@link AllocationErrorCodes#NO_MODEL} or one of your own
     * @param message a message for the device operator; it is sent to DPS, so it must not contain secrets
     */
    public AllocationRejectedException(String code, String message) {
        super(Objects.requireNonNull(message, "message"));
        Objects.requireNonNull(code, "code");
        if (!CODE.matcher(code).matches()) {
            throw new IllegalArgumentException("error code must be PascalCase letters and digits: " + code);
        }
        this.code = code;
    }

    /** The {@code error.code} of the answer. */
    public String code() {
        return code;
    }
}
