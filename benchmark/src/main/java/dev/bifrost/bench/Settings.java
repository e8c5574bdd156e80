package dev.bifrost.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.Map;
import java.util.Set;

/**
 * What the benchmark is told by {@code deploy/local/bench.sh}, from environment variables: where the local
 * runner's servers listen, their credentials (from {@code local.env}), the service jars, and the scale.
 *
 * @param scale       {@code BENCH_SCALE}: every row count (and the latency run's duration) is multiplied by it
 * @param phases      {@code BENCH_PHASES}: the phases to run (comma-separated keys; default all)
 * @param home        {@code BIFROST_HOME}: logs go to {@code logs/}, results to {@code bench/results.json}
 * @param pgPort      {@code PG_PORT}: thordb; mjolnirdb on +1, stormbreakerdb on +2
 * @param kafkaPort   {@code KAFKA_PORT}
 * @param capturePort {@code CAPTURE_PORT}: HTTP port of the capture-service the benchmark starts
 * @param applyPort   {@code APPLY_PORT}: HTTP port of the apply-service the benchmark starts
 */
record Settings(double scale, Set<Phase> phases, Path home, int pgPort, int kafkaPort, int capturePort, int applyPort,
        String dbUser, String dbPassword, String adminUser, String adminPassword, Path captureJar, Path applyJar) {

    static Settings fromEnvironment(Map<String, String> env) {
        double scale = number(env, "BENCH_SCALE", "1.0");
        if (!(scale > 0 && scale <= 100)) {
            throw new IllegalArgumentException("BENCH_SCALE=" + env.get("BENCH_SCALE") + " must be in (0, 100]");
        }
        return new Settings(scale, phases(env.getOrDefault("BENCH_PHASES", "")), Path.of(required(env, "BIFROST_HOME")).toAbsolutePath(),
                port(env, "PG_PORT", "25432"), port(env, "KAFKA_PORT", "29092"),
                port(env, "CAPTURE_PORT", "28081"), port(env, "APPLY_PORT", "28082"),
                env.getOrDefault("BIFROST_DB_USER", "bifrost"), required(env, "BIFROST_DB_PASSWORD"),
                env.getOrDefault("BIFROST_ADMIN_USER", "admin"), required(env, "BIFROST_ADMIN_PASSWORD"),
                jar(env, "BENCH_CAPTURE_JAR"), jar(env, "BENCH_APPLY_JAR"));
    }

    String kafkaBootstrap() {
        return "127.0.0.1:" + kafkaPort;
    }

    Path logDir() {
        return home.resolve("logs");
    }

    Path resultsFile() {
        return home.resolve("bench").resolve("results.json");
    }

    /** {@code fixedSeconds} plus {@code fullScaleSeconds} scaled by {@link #scale()}. */
    Duration timeout(int fixedSeconds, int fullScaleSeconds) {
        return Duration.ofSeconds(fixedSeconds + Math.round(fullScaleSeconds * scale));
    }

    /** A row count of the full-size benchmark, scaled (at least 1). */
    long rows(long fullScale) {
        return Math.max(1, Math.round(fullScale * scale));
    }

    private static Set<Phase> phases(String list) {
        if (list.isBlank()) {
            return EnumSet.allOf(Phase.class);
        }
        Set<Phase> phases = EnumSet.noneOf(Phase.class);
        for (String key : list.split(",")) {
            phases.add(Arrays.stream(Phase.values()).filter(p -> p.key.equals(key.trim())).findFirst()
                    .orElseThrow(() -> new IllegalArgumentException("BENCH_PHASES: unknown phase '" + key.trim()
                            + "'; the phases are " + Arrays.stream(Phase.values()).map(p -> p.key).toList())));
        }
        return phases;
    }

    private static String required(Map<String, String> env, String name) {
        String value = env.get(name);
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException(name + " is not set (deploy/local/bench.sh sets it)");
        }
        return value;
    }

    private static double number(Map<String, String> env, String name, String fallback) {
        String value = env.getOrDefault(name, fallback);
        try {
            return Double.parseDouble(value);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(name + "=" + value + " is not a number");
        }
    }

    private static int port(Map<String, String> env, String name, String fallback) {
        double value = number(env, name, fallback);
        if (value != Math.rint(value) || value < 1 || value > 65533) {
            throw new IllegalArgumentException(name + "=" + env.get(name) + " is not a port number");
        }
        return (int) value;
    }

    private static Path jar(Map<String, String> env, String name) {
        Path jar = Path.of(required(env, name));
        if (!Files.isRegularFile(jar)) {
            throw new IllegalArgumentException(name + "=" + jar + " does not exist; build with ./mvnw -DskipTests install");
        }
        return jar;
    }
}
