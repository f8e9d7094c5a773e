package io.dpstwin.core.allocation;

import java.util.Objects;
import java.util.regex.Pattern;

/**
 * Places the device's twin in the twin graph: a relationship {@code relationshipName} from a parent twin to the
 * device twin, with the deterministic id {@code <relationshipName>-<deviceTwinId>} (relationship ids are unique per
 * source twin), created idempotently with {@code If-None-Match: *}.
 *
 * @param parentResolver      finds the parent twin id (empty = no placement for that device)
 * @param relationshipName    the relationship name declared on the parent's model, default {@code contains}
 * @param missingParentPolicy what to do when the parent twin does not exist, default {@link MissingParentPolicy#REJECT}
 */
public record Placement(ParentTwinResolver parentResolver, String relationshipName,
                        MissingParentPolicy missingParentPolicy) {

    /** The relationship name of the reference twin models. */
    public static final String DEFAULT_RELATIONSHIP_NAME = "contains";

    /** DTDL names: a letter, then letters, digits and underscores, not ending with an underscore; at most 64. */
    private static final Pattern DTDL_NAME = Pattern.compile("[A-Za-z](?:[A-Za-z0-9_]{0,62}[A-Za-z0-9])?");

    public Placement {
        Objects.requireNonNull(parentResolver, "parentResolver");
        Objects.requireNonNull(relationshipName, "relationshipName");
        Objects.requireNonNull(missingParentPolicy, "missingParentPolicy");
        if (!DTDL_NAME.matcher(relationshipName).matches()) {
            throw new IllegalArgumentException("relationship name '" + relationshipName + "' is not a DTDL name");
        }
    }

    /** Placement under the parent {@code parentResolver} finds, with relationship {@code contains}, rejecting missing parents. */
    public static Placement under(ParentTwinResolver parentResolver) {
        return new Placement(parentResolver, DEFAULT_RELATIONSHIP_NAME, MissingParentPolicy.REJECT);
    }

    /** A copy with another relationship name. */
    public Placement withRelationshipName(String name) {
        return new Placement(parentResolver, name, missingParentPolicy);
    }

    /** A copy with another missing-parent policy. */
    public Placement withMissingParentPolicy(MissingParentPolicy policy) {
        return new Placement(parentResolver, relationshipName, policy);
    }

    /** The relationship id for a device twin: {@code <relationshipName>-<deviceTwinId>}. */
    public String relationshipIdFor(String deviceTwinId) {
        return relationshipName + "-" + deviceTwinId;
    }
}
