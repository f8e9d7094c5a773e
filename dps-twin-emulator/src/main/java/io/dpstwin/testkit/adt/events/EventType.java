package io.dpstwin.testkit.adt.events;

/**
 * The CloudEvents {@code type}s ADT sends to its endpoints, with the older {@code $eventType} category route filters
 * may still name (https://learn.microsoft.com/azure/digital-twins/how-to-create-routes#filter-events and
 * https://learn.microsoft.com/azure/digital-twins/concepts-event-notifications).
 */
public enum EventType {
    TWIN_CREATE("Microsoft.DigitalTwins.Twin.Create", "DigitalTwinLifecycleNotification"),
    TWIN_UPDATE("Microsoft.DigitalTwins.Twin.Update", "DigitalTwinChangeNotification"),
    TWIN_DELETE("Microsoft.DigitalTwins.Twin.Delete", "DigitalTwinLifecycleNotification"),
    RELATIONSHIP_CREATE("Microsoft.DigitalTwins.Relationship.Create", "DigitalTwinRelationshipChangeNotification"),
    RELATIONSHIP_UPDATE("Microsoft.DigitalTwins.Relationship.Update", "DigitalTwinRelationshipChangeNotification"),
    RELATIONSHIP_DELETE("Microsoft.DigitalTwins.Relationship.Delete", "DigitalTwinRelationshipChangeNotification"),
    TELEMETRY("microsoft.iot.telemetry", "DigitalTwinTelemetryMessages");

    private final String cloudEventType;
    private final String category;

    EventType(String cloudEventType, String category) {
        this.cloudEventType = cloudEventType;
        this.category = category;
    }

    /** The CloudEvents {@code type}, e.g. {@code Microsoft.DigitalTwins.Twin.Create}. */
    public String cloudEventType() {
        return cloudEventType;
    }

    /** The value of {@code $eventType} in a route filter, e.g. {@code DigitalTwinLifecycleNotification}. */
    public String category() {
        return category;
    }
}
