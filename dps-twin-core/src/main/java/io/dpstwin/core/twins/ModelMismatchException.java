package io.dpstwin.core.twins;

/** The device's twin exists with another model and the {@link ModelMismatchPolicy} is {@code REJECT}. */
public class ModelMismatchException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final String twinId;
    private final String existingModelId;
    private final String requestedModelId;

    public ModelMismatchException(String twinId, String existingModelId, String requestedModelId) {
        super("twin '" + twinId + "' exists with model " + existingModelId + ", not " + requestedModelId
                + "; the model mismatch policy is REJECT");
        this.twinId = twinId;
        this.existingModelId = existingModelId;
        this.requestedModelId = requestedModelId;
    }

    public String twinId() {
        return twinId;
    }

    public String existingModelId() {
        return existingModelId;
    }

    public String requestedModelId() {
        return requestedModelId;
    }
}
