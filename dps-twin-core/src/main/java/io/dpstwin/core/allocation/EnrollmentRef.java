package io.dpstwin.core.allocation;

import java.util.Objects;

/**
 * Names a DPS enrollment: an enrollment group by its {@code enrollmentGroupId}, an individual enrollment by its
 * {@code registrationId}. Used as the key of per-enrollment settings (default model, model allow-list, parent twin).
 *
 * @param kind group or individual
 * @param id   the enrollment group id or the individual enrollment's registration id
 */
public record EnrollmentRef(Kind kind, String id) {

    /** The two kinds of DPS enrollments. */
    public enum Kind { GROUP, INDIVIDUAL }

    public EnrollmentRef {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(id, "id");
        if (id.isBlank()) {
            throw new IllegalArgumentException("enrollment id is blank");
        }
    }

    /** The enrollment group {@code enrollmentGroupId}. */
    public static EnrollmentRef group(String enrollmentGroupId) {
        return new EnrollmentRef(Kind.GROUP, enrollmentGroupId);
    }

    /** The individual enrollment of {@code registrationId}. */
    public static EnrollmentRef individual(String registrationId) {
        return new EnrollmentRef(Kind.INDIVIDUAL, registrationId);
    }

    @Override
    public String toString() {
        return (kind == Kind.GROUP ? "enrollment group " : "individual enrollment ") + id;
    }
}
