package io.dpstwin.core.twins;

/**
 * The {@code error.code} values of the ADT data plane that dps-twin acts on (see the
 * <a href="https://learn.microsoft.com/rest/api/digital-twins/dataplane/twins">ADT data plane REST reference</a>),
 * plus the codes dps-twin itself uses for failures that carry no ADT answer. Where sources disagree on a code, both
 * spellings are listed and {@link AdtException}'s predicates accept both.
 */
public final class AdtErrorCodes {

    public static final String DIGITAL_TWIN_NOT_FOUND = "DigitalTwinNotFound";
    public static final String RELATIONSHIP_NOT_FOUND = "RelationshipNotFound";
    /** What the real service answers for a missing relationship target. */
    public static final String TARGET_DIGITAL_TWIN_NOT_FOUND = "TargetDigitalTwinNotFound";
    /** What the REST specification names for a missing relationship target; accept both. */
    public static final String TARGET_TWIN_NOT_FOUND = "TargetTwinNotFound";
    public static final String MODEL_NOT_FOUND = "ModelNotFound";
    public static final String PRECONDITION_FAILED = "PreconditionFailed";
    public static final String RELATIONSHIPS_NOT_DELETED = "RelationshipsNotDeleted";
    public static final String VALIDATION_FAILED = "ValidationFailed";
    public static final String MODEL_DECOMMISSIONED = "ModelDecommissioned";
    public static final String INVALID_ARGUMENT = "InvalidArgument";
    public static final String INVALID_RELATIONSHIP = "InvalidRelationship";
    public static final String OPERATION_NOT_ALLOWED = "OperationNotAllowed";
    public static final String JSON_PATCH_INVALID = "JsonPatchInvalid";
    /** What the REST reference names for uploading a model id that exists (409); the emulator answers it. */
    public static final String MODEL_ALREADY_EXISTS = "ModelAlreadyExists";
    /**
     * What Learn's CLI tutorial and code in the wild name for the same 409
     * (https://learn.microsoft.com/azure/digital-twins/tutorial-command-line-cli); accept both.
     */
    public static final String MODEL_ID_ALREADY_EXISTS = "ModelIdAlreadyExists";
    public static final String MODEL_REFERENCES_NOT_DELETED = "ModelReferencesNotDeleted";
    public static final String DTDL_PARSER_ERROR = "DTDLParserError";
    public static final String SQL_QUERY_ERROR = "SqlQueryError";
    public static final String BAD_REQUEST = "BadRequest";
    public static final String TWIN_LIMIT_REACHED = "TwinLimitReached";
    public static final String QUOTA_REACHED = "QuotaReachedError";
    /** 429 without a documented code. */
    public static final String TOO_MANY_REQUESTS = "TooManyRequests";
    public static final String SERVICE_UNAVAILABLE = "ServiceUnavailable";
    /** dps-twin's code for a request that got no HTTP answer (connection refused or reset, TLS failure). */
    public static final String TRANSPORT_ERROR = "TransportError";
    /** dps-twin's code for a request that got no answer in time. */
    public static final String TIMEOUT = "Timeout";
    /** dps-twin's code for an answer without a readable {@code error.code}. */
    public static final String UNKNOWN = "Unknown";

    private AdtErrorCodes() {
    }
}
