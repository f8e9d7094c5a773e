package io.dpstwin.benchmarks;

import io.dpstwin.benchmarks.load.ScaleOutMode;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The command line of {@link Main}: {@code --name=value} or {@code --name value}; flags (the options whose default is
 * {@code false}) need no value. The defaults
 * are the quick run (under three minutes on two cores); every knob is listed by {@code --help}.
 */
public final class BenchOptions {

    /** Name, default and description of every option, in the order {@code --help} lists them. */
    private static final String[][] OPTIONS = {
            {"devices", "300", "devices provisioned and retired by each load run"},
            {"devices-per-room", "4", "devices sharing a room (each device has 2 relationships with its room)"},
            {"instance-rate", "100", "emulated ADT creates+deletes per second per instance (ADT: 500)"},
            {"twin-rate", "10", "emulated ADT writes per second per twin (ADT: 10)"},
            {"latency-ms", "20", "emulated ADT latency per request in ms (ADT: about 20)"},
            {"client-limits-percent", "100", "share of the emulated limits dps-twin keeps to (AdtRateLimits)"},
            {"dps-concurrency", "16", "allocation requests DPS has in flight at once"},
            {"batch-size", "100", "lifecycle events per Event Hubs batch"},
            {"parallelism", "16", "dps-twin lifecycle parallelism per load run (the first is the headline; "
                    + "LifecycleOptions default 16)"},
            {"scaleout", "1,2,4,8,16,32", "instance counts N of the scale-out run (N dps-twin processes, one ADT)"},
            {"scaleout-parallelism", "16", "lifecycle parallelism of each instance in the scale-out run "
                    + "(LifecycleOptions default 16)"},
            {"scaleout-devices", "1000", "devices provisioned and retired by each scale-out run (enough that each "
                    + "phase lasts tens of seconds at the limit)"},
            {"scaleout-modes", "static,adaptive,shared",
                "client-side limiter modes of the scale-out run (shared: adaptive, divided by an instance registry)"},
            {"scaleout-repeats", "1", "runs of each N and mode in the scale-out run (the report prints every run, "
                    + "the spread over them, and the worst of all of them on the RESULT line)"},
            {"jmh-warmup", "3", "JMH warm-up iterations of 1 s"},
            {"jmh-iterations", "4", "JMH measurement iterations of 1 s"},
            {"jmh-forks", "1", "JMH forks per benchmark"},
            {"jmh-threads", "1,2", "JMH thread counts to run"},
            {"jmh-benchmarks", "reRegistration,newDevice", "JMH benchmarks of AllocationBenchmark to run "
                    + "(also fakeReRegistration, fakeNewDevice: the in-memory ADT alone)"},
            {"jmh-rate-limited", "true", "JMH rateLimited parameter values: true, false or true,false"},
            {"jmh-profilers", "gc", "JMH profilers, comma separated (gc, stack, ...; none for none)"},
            {"jmh-verbose", "false", "print JMH's own progress output"},
            {"sdk-warmup-rounds", "60",
                "SDK-overhead warm-up rounds (enough for the JIT compilers to finish both paths)"},
            {"sdk-rounds", "20", "SDK-overhead measured rounds"},
            {"sdk-per-round", "100", "allocations per path and round in the SDK-overhead run"},
            {"reconcile-devices", "1000000", "devices of the fleet reconcile scenario (1 % drift of each kind)"},
            {"reconcile-hubs", "2", "hubs the fleet's devices are spread over"},
            {"reconcile-units", "1", "S1 units per hub (20 device queries per minute each)"},
            {"reconcile-page-size", "1000", "devices per page of the hubs' device query"},
            {"reconcile-speedup", "30", "simulated seconds per real second in the fleet reconcile"},
            {"reconcile-seed", "7", "seed of the fleet's drift"},
            {"quick", "false", "CI-sized fleet reconcile: 20000 devices, 100 per page"},
            {"cold-start-pairs", "10", "cold starts per side, alternating dps-twin and bare SDK in fresh JVMs"},
            {"cold-start-jvm-args", "", "extra options of every cold-start JVM, space separated (e.g. -Xshare:off)"},
            {"cold-start-cds", "false", "cold starts with an AppCDS archive per side (trained by one untimed run)"},
            {"skip-jmh", "false", "skip the JMH benchmarks"},
            {"skip-load", "false", "skip the provision+retire load runs"},
            {"skip-baseline", "false", "skip the reference-sample baseline run"},
            {"skip-sdk", "false", "skip the SDK-overhead run"},
            {"skip-reconcile", "false", "skip the fleet reconcile scenario"},
            {"skip-cold-start", "false", "skip the cold-start runs"},
            {"skip-scaleout", "false", "skip the scale-out run"},
            {"help", "false", "print this help"},
    };

    private final Map<String, String> values = new LinkedHashMap<>();

    private BenchOptions() {
        for (String[] option : OPTIONS) {
            values.put(option[0], option[1]);
        }
    }

    /**
     * @throws IllegalArgumentException for an unknown option or a missing value
     */
    public static BenchOptions parse(String... args) {
        BenchOptions options = new BenchOptions();
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            if (!arg.startsWith("--")) {
                throw new IllegalArgumentException("unexpected argument '" + arg + "' (options start with --)");
            }
            String name = arg.substring(2);
            String value = null;
            int equals = name.indexOf('=');
            if (equals >= 0) {
                value = name.substring(equals + 1);
                name = name.substring(0, equals);
            }
            if (!options.values.containsKey(name)) {
                throw new IllegalArgumentException("unknown option --" + name + " (see --help)");
            }
            boolean flag = "false".equals(defaultOf(name));
            if (value == null) {
                if (flag) {
                    value = "true";
                } else if (i + 1 < args.length) {
                    value = args[++i];
                } else {
                    throw new IllegalArgumentException("option --" + name + " needs a value");
                }
            }
            options.values.put(name, value);
        }
        options.validate();
        return options;
    }

    private static String defaultOf(String name) {
        for (String[] option : OPTIONS) {
            if (option[0].equals(name)) {
                return option[1];
            }
        }
        throw new IllegalArgumentException(name);
    }

    private void validate() {
        for (String name : List.of("devices", "devices-per-room", "instance-rate", "twin-rate", "client-limits-percent", "dps-concurrency",
                "batch-size", "jmh-iterations", "jmh-forks", "sdk-rounds", "sdk-per-round", "reconcile-devices",
                "reconcile-hubs", "reconcile-units", "reconcile-page-size", "reconcile-speedup", "cold-start-pairs",
                "scaleout-parallelism", "scaleout-devices", "scaleout-repeats")) {
            if (integer(name) < 1) {
                throw new IllegalArgumentException("--" + name + " must be at least 1");
            }
        }
        if (integer("client-limits-percent") > 100) {
            throw new IllegalArgumentException("--client-limits-percent must be at most 100");
        }
        for (String name : List.of("latency-ms", "jmh-warmup", "sdk-warmup-rounds")) {
            if (integer(name) < 0) {
                throw new IllegalArgumentException("--" + name + " must not be negative");
            }
        }
        jmhThreads();
        parallelism();
        jmhRateLimited();
    }

    /** {@code --help} text. */
    public static String usage() {
        StringBuilder sb = new StringBuilder("Usage: java -jar dps-twin-benchmarks.jar [options]\n\nOptions:\n");
        for (String[] option : OPTIONS) {
            sb.append(String.format("  --%-20s %s (default %s)%n", option[0], option[2], option[1]));
        }
        return sb.toString();
    }

    public int integer(String name) {
        String value = get(name);
        try {
            return Integer.parseInt(value.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--" + name + " must be a whole number, was '" + value + "'");
        }
    }

    public boolean flag(String name) {
        String value = get(name).trim();
        if (!value.equals("true") && !value.equals("false")) {
            throw new IllegalArgumentException("--" + name + " must be true or false, was '" + value + "'");
        }
        return Boolean.parseBoolean(value);
    }

    public String get(String name) {
        String value = values.get(name);
        if (value == null) {
            throw new IllegalArgumentException("unknown option --" + name);
        }
        return value;
    }

    /** The fleet reconcile's devices: 20,000 with {@code --quick} unless given, else {@code --reconcile-devices}. */
    public int reconcileDevices() {
        return flag("quick") && !given("reconcile-devices") ? 20_000 : integer("reconcile-devices");
    }

    /** The fleet reconcile's page size: 100 with {@code --quick} unless given, else {@code --reconcile-page-size}. */
    public int reconcilePageSize() {
        return flag("quick") && !given("reconcile-page-size") ? 100 : integer("reconcile-page-size");
    }

    private boolean given(String name) {
        return !get(name).equals(defaultOf(name));
    }

    public Duration latency() {
        return Duration.ofMillis(integer("latency-ms"));
    }

    public List<Integer> jmhThreads() {
        return positiveList("jmh-threads");
    }

    /** The instance counts of the scale-out run. */
    public List<Integer> scaleOut() {
        return positiveList("scaleout");
    }

    /** The limiter modes of the scale-out run, in the given order. */
    public List<ScaleOutMode> scaleOutModes() {
        List<ScaleOutMode> modes = new ArrayList<>();
        for (String part : get("scaleout-modes").split(",")) {
            try {
                modes.add(ScaleOutMode.of(part));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("--scaleout-modes: " + e.getMessage(), e);
            }
        }
        return modes;
    }

    /** Lifecycle parallelism of each dps-twin load run, the headline first. */
    public List<Integer> parallelism() {
        return positiveList("parallelism");
    }

    private List<Integer> positiveList(String name) {
        List<Integer> numbers = new ArrayList<>();
        for (String part : get(name).split(",")) {
            try {
                int number = Integer.parseInt(part.trim());
                if (number < 1) {
                    throw new NumberFormatException();
                }
                numbers.add(number);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("--" + name + " must list positive whole numbers, was '"
                        + get(name) + "'");
            }
        }
        return numbers;
    }

    public String[] jmhRateLimited() {
        String[] parts = get("jmh-rate-limited").split(",");
        for (int i = 0; i < parts.length; i++) {
            parts[i] = parts[i].trim();
            if (!parts[i].equals("true") && !parts[i].equals("false")) {
                throw new IllegalArgumentException("--jmh-rate-limited must list true and/or false");
            }
        }
        return parts;
    }

    /** Extra options of every cold-start JVM. */
    public List<String> coldStartJvmArgs() {
        List<String> args = new ArrayList<>();
        for (String part : get("cold-start-jvm-args").trim().split("\\s+")) {
            if (!part.isEmpty()) {
                args.add(part);
            }
        }
        return args;
    }

    public List<String> jmhProfilers() {
        List<String> profilers = new ArrayList<>();
        for (String part : get("jmh-profilers").split(",")) {
            String name = part.trim();
            if (!name.isEmpty() && !name.equals("none")) {
                profilers.add(name);
            }
        }
        return profilers;
    }

    /** The options as given, for the report ({@code --name=value} for every non-default value). */
    public String nonDefaults() {
        StringBuilder sb = new StringBuilder();
        for (String[] option : OPTIONS) {
            String value = values.get(option[0]);
            if (!value.equals(option[1])) {
                sb.append(sb.length() == 0 ? "" : " ").append("--").append(option[0]).append('=').append(value);
            }
        }
        return sb.length() == 0 ? "(defaults)" : sb.toString();
    }
}
