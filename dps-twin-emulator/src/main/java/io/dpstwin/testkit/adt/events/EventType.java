package io.dpstwin.testkit.adt.events;

/**
 * The CloudEvents {@code type}s ADT sends to its endpoints, with the older {@code $eventType} category route filters
 * may still name (https://learn.microsoft.com/azure/digital-twins/how-to-create-routes#filter-events and
 * https://learn.microsoft.com/azure/digital-twins/concepts-event-notifications).
 */
public enum EventType {
    TWIN_CREATE("Microsoft.DigitalTwins.Twin.Create"),
    TWIN_UPDATE("Microsoft.DigitalTwins.Twin.Update"),
    TWIN_DELETE("Microsoft.DigitalTwins.Twin.Delete"),
    RELATIONSHIP_CREATE("Microsoft.DigitalTwins.Relationship.Create"),
    RELATIONSHIP_UPDATE("Microsoft.DigitalTwins.Relationship.Update"),
    RELATIONSHIP_DELETE("Microsoft.DigitalTwins.Relationship.Delete"),
    TELEMETRY("microsoft.iot.telemetry");

    private final String cloudEventType;

    EventType(String cloudEventType) {
        this.cloudEventType = cloudEventType;
    }

    /** The CloudEvents {@code type}, e.g. {@code Microsoft.DigitalTwins.Twin.Create}. */
    public String cloudEventType() {
        return cloudEventType;
    }

    /** The value of {@code $eventType} in a route filter, e.g. {@code DigitalTwinLifecycleNotification}. */
    public String category() {
        return switch (this) {
            case TWIN_CREATE, TWIN_DELETE -> "DigitalTwinLifecycleNotification";
            case TWIN_UPDATE -> "DigitalTwinChangeNotification";
            case RELATIONSHIP_CREATE, RELATIONSHIP_UPDATE, RELATIONSHIP_DELETE ->
                    "DigitalTwinRelationshipChangeNotification";
            case TELEMETRY -> "DigitalTwinTelemetryMessages";
        };
    }
}
