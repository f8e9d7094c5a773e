package io.dpstwin.testkit.reliability.fuzz;

import io.dpstwin.testkit.flows.Contoso;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Tuple;

import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * jqwik generators of DPS allocation request bodies: valid requests ({@link RequestSpec}), the same requests bent by
 * {@link Mutation}s (fields dropped or given wrong types, huge strings, unicode, deep nesting, invalid registration
 * ids, device ids, DTMIs and parent ids, truncated JSON, duplicate keys, trailing content, broken bytes), and random
 * bytes.
 */
public final class DpsRequestArbitraries {

    static final List<String> HUBS = List.of(Contoso.HUB_1, Contoso.HUB_2, "contoso-hub-3.azure-devices.net");

    private static final String REGISTRATION_ID_CHARS = "abcdefghijklmnopqrstuvwxyz0123456789-._:";
    private static final String DEVICE_ID_CHARS =
            "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-.+%_#*?!(),=@$'";
    /** Field names a {@link Mutation.SetField} aims at, weighted towards the ones the webhook validates. */
    private static final Arbitrary<String> FIELD_NAMES = Arbitraries.frequency(
            Tuple.of(5, "registrationId"), Tuple.of(4, "modelId"), Tuple.of(4, "parentTwinId"),
            Tuple.of(3, "linkedHubs"), Tuple.of(2, "deviceId"), Tuple.of(1, "currentIotHubHostName"),
            Tuple.of(1, "enrollmentGroupId"), Tuple.of(1, "payload"), Tuple.of(1, "deviceRuntimeContext"),
            Tuple.of(1, "individualEnrollment"), Tuple.of(1, "enrollmentGroup"), Tuple.of(1, "initialTwin"),
            Tuple.of(1, "tags"), Tuple.of(1, "symmetricKey"), Tuple.of(1, "tpm"), Tuple.of(1, "x509"));

    private DpsRequestArbitraries() {
    }

    /** Every kind of body, weighted: valid 10 %, tree-mutated 60 %, text-mutated 15 %, raw bytes 5 %. */
    public static Arbitrary<FuzzCase> cases() {
        return Arbitraries.frequencyOf(
                Tuple.of(10, specs().map(FuzzCase::valid)),
                Tuple.of(60, Combinators.combine(specs(), treeMutations().list().ofMinSize(1).ofMaxSize(3))
                        .as(FuzzCase::mutated)),
                // Byte noise can rename a key, e.g. "password" to "pass%ord": the value is then no longer in a
                // secret position (Redaction goes by key names), so text-mutated requests carry no secrets.
                Tuple.of(15, Combinators.combine(specs().map(RequestSpec::withoutSecrets),
                                treeMutations().list().ofMaxSize(2),
                                byteMutations().list().ofMinSize(1).ofMaxSize(2))
                        .as((spec, tree, text) -> FuzzCase.mutated(spec, concat(tree, text)))),
                Tuple.of(5, rawBodies().map(FuzzCase::raw)));
    }

    private static List<Mutation> concat(List<Mutation> a, List<Mutation> b) {
        return java.util.stream.Stream.concat(a.stream(), b.stream()).toList();
    }

    // ---------------------------------------------------------------- valid requests

    /** Valid requests of every shape the webhook accepts. */
    public static Arbitrary<RequestSpec> specs() {
        Arbitrary<List<String>> linkedHubs = Arbitraries.of(HUBS).list().uniqueElements().ofMinSize(1).ofMaxSize(3);
        Arbitrary<String> currentHub = Arbitraries.of(HUBS).injectNull(0.5);
        Arbitrary<Map<String, String>> extra = Arbitraries.maps(
                Arbitraries.strings().alpha().ofMinLength(1).ofMaxLength(12),
                Arbitraries.strings().all().ofMaxLength(30)).ofMaxSize(3);
        return Combinators.combine(Arbitraries.integers().between(0, 15), validRegistrationIds(),
                        validDeviceIds().injectNull(0.4), Arbitraries.integers().between(0, 2), linkedHubs,
                        currentHub, extra)
                .as((flags, registrationId, deviceId, attestation, hubs, current, fields) -> {
                    boolean individual = (flags & 1) != 0;
                    return new RequestSpec(individual, registrationId, individual ? deviceId : null, attestation,
                            hubs, current, (flags & 2) != 0, (flags & 4) != 0, (flags & 8) != 0,
                            fields.entrySet().stream()
                                    .filter(e -> !Set.of("modelId", "parentTwinId", "password", "sasToken",
                                            "connectionString").contains(e.getKey()))
                                    .collect(java.util.stream.Collectors.toMap(Map.Entry::getKey,
                                            Map.Entry::getValue)));
                })
                // room-1 and dev-room exist as rooms before every try: a device of that id is a model mismatch
                .filter(spec -> !spec.twinId().equals("room-1") && !spec.twinId().equals("dev-room"));
    }

    /** DPS registration ids: 1..128 of {@code a-z 0-9 - . _ :}, ending with an alphanumeric or {@code -}. */
    public static Arbitrary<String> validRegistrationIds() {
        Arbitrary<String> generated = Combinators.combine(
                Arbitraries.strings().withChars(REGISTRATION_ID_CHARS).ofMaxLength(127),
                Arbitraries.strings().withChars("abcdefghijklmnopqrstuvwxyz0123456789-").ofLength(1))
                .as((body, last) -> body + last);
        return Arbitraries.frequencyOf(
                Tuple.of(8, generated),
                Tuple.of(1, Arbitraries.of("dev-existing", "breakroom499-contoso-tstrsd-007", "a", "-", "0:1.2_3")));
    }

    /** IoT Hub device ids: 1..128 of the allowed ASCII characters. */
    public static Arbitrary<String> validDeviceIds() {
        return Arbitraries.strings().withChars(DEVICE_ID_CHARS).ofMinLength(1).ofMaxLength(128);
    }

    // ---------------------------------------------------------------- mutations

    static Arbitrary<Mutation> treeMutations() {
        Arbitrary<Integer> target = Arbitraries.integers().between(0, 200);
        return Arbitraries.frequencyOf(
                Tuple.of(2, target.map(Mutation.Remove::new)),
                Tuple.of(2, Combinators.combine(target, values()).as(Mutation.Replace::new)),
                Tuple.of(12, FIELD_NAMES.flatMap(name -> Combinators.combine(
                        target, Arbitraries.just(name), valuesFor(name)).as(Mutation.SetField::new))));
    }

    static Arbitrary<Mutation> byteMutations() {
        return Arbitraries.frequencyOf(
                Tuple.of(3, Arbitraries.integers().between(0, 999).map(Mutation.Truncate::new)),
                Tuple.of(2, Arbitraries.of("}", "{}", "x", " \u0000", "[]", ",", "\"", "\n{\"a\":1}", "\uFEFF")
                        .map(Mutation.Append::new)),
                Tuple.of(1, Arbitraries.just(new Mutation.DuplicateFirstKey())),
                Tuple.of(2, Combinators.combine(
                        Arbitraries.integers().greaterOrEqual(0).list().ofMinSize(1).ofMaxSize(4),
                        Arbitraries.bytes().list().ofMinSize(1).ofMaxSize(4)).as(Mutation.Noise::new)));
    }

    /** Values of any type, for any place. */
    static Arbitrary<FuzzValue> values() {
        return Arbitraries.frequencyOf(
                Tuple.of(4, Arbitraries.strings().all().ofMaxLength(40).map(FuzzValue.Text::new)),
                Tuple.of(2, Arbitraries.strings().withCharRange('\u0080', '\uffff').ofMaxLength(20)
                        .map(FuzzValue.Text::new)),
                Tuple.of(2, hugeStrings()),
                Tuple.of(2, Combinators.combine(Arbitraries.integers().between(1, 1500), Arbitraries.of(true, false))
                        .as(FuzzValue.Deep::new)),
                Tuple.of(2, Arbitraries.longs().map(FuzzValue.Int::new)),
                Tuple.of(1, Arbitraries.doubles().map(FuzzValue.Real::new)),
                Tuple.of(1, Arbitraries.of(true, false).map(FuzzValue.Bool::new)),
                Tuple.of(2, Arbitraries.just(new FuzzValue.Null())),
                Tuple.of(1, Combinators.combine(Arbitraries.strings().alpha().ofMaxLength(8).injectNull(0.3),
                        Arbitraries.strings().ofMaxLength(8)).as(FuzzValue.Obj::new)),
                Tuple.of(1, Arbitraries.strings().ofMaxLength(12).list().ofMaxSize(3).map(FuzzValue.Strings::new)));
    }

    private static Arbitrary<FuzzValue> hugeStrings() {
        // around the 96 KB limit: below it the webhook must still answer 400/200, above it 413
        return Combinators.combine(
                Arbitraries.frequencyOf(
                        Tuple.of(2, Arbitraries.integers().between(1_000, 90_000)),
                        Tuple.of(1, Arbitraries.integers().between(97_000, 99_000)),
                        Tuple.of(1, Arbitraries.integers().between(99_000, 200_000))),
                Arbitraries.of("x", "é", "\uD83D\uDE00", "\\", "\"", "\u0000", " "))
                .as(FuzzValue.Huge::new);
    }

    /** Values aimed at one field: invalid and edge-case ids, DTMIs, hub lists, as well as any value. */
    static Arbitrary<FuzzValue> valuesFor(String field) {
        Arbitrary<FuzzValue> special = switch (field) {
            case "registrationId" -> Arbitraries.oneOf(
                    Arbitraries.of("", "Dev-1", "dev 1", "dev.", "dev_", "dév-1", "dev/1", "dev\u0000", "\uD83D\uDE00",
                            "dev-existing", "dev-room", "dev-room", "room-1", "a".repeat(129), "-".repeat(128)),
                    Arbitraries.strings().all().ofMinLength(1).ofMaxLength(140))
                    .map(FuzzValue.Text::new);
            case "deviceId" -> Arbitraries.of("", "dev 1", "dév", "a/b", "x".repeat(129), "dev-room", "room-1", "ok-1")
                    .map(FuzzValue.Text::new);
            case "modelId" -> Arbitraries.of("", "dtmi:com:example:Unknown;1", "dtmi:com:example:Unknown;2",
                            "dtmi:com:x", "dtmi:com:x:Y;0", "DTMI:com:x:Y;1", "dtmi:com:x:Y;1.5", "urn:x:y",
                            Contoso.ROOM, Contoso.THERMOSTAT,
                            "dtmi:" + "a".repeat(3000) + ";1", "dtmi:com:x:Y;1\u0000")
                    .map(FuzzValue.Text::new);
            case "parentTwinId" -> Arbitraries.of("", " room-1", "room-1 ", "a/b", "a?b", "x'y", "a\"b", "a#b",
                            "a\\b", "line\nbreak", "room-404", "room-405", "room-406", "dev-existing", "dev-room",
                            "room-1",
                            "r".repeat(257))
                    .map(FuzzValue.Text::new);
            case "linkedHubs" -> Arbitraries.of(
                    List.<String>of(), List.of(""), List.of(" " + Contoso.HUB_1), List.of(Contoso.HUB_1, Contoso.HUB_1),
                    List.of("x"), List.of(Contoso.HUB_2.toUpperCase(java.util.Locale.ROOT)))
                    .map(FuzzValue.Strings::new);
            case "currentIotHubHostName" -> Arbitraries.of("", "elsewhere.azure-devices.net", Contoso.HUB_2)
                    .map(FuzzValue.Text::new);
            default -> values();
        };
        return Arbitraries.frequencyOf(Tuple.of(3, special), Tuple.of(1, values()));
    }

    /** Random bytes, and random text made of JSON's punctuation and keywords. */
    static Arbitrary<byte[]> rawBodies() {
        return Arbitraries.oneOf(
                Arbitraries.bytes().array(byte[].class).ofMaxSize(2048),
                Arbitraries.strings().withChars("{}[]\":,0123456789.-+eEtruefalsn \t\n\\u").ofMaxLength(400)
                        .map(s -> s.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
    }
}
