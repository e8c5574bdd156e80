package dev.bifrost.apply;

import dev.bifrost.testsupport.PostgresServer;
import java.time.Duration;
import java.util.Map;

/** Apply-side configuration for tests: one target {@code t}, the database {@code target} of a test server. */
public final class OneTarget {

    private OneTarget() {
    }

    public static ApplyProperties.Target target(PostgresServer postgres) {
        return new ApplyProperties.Target(postgres.jdbcUrl("target"), PostgresServer.USER, null, null);
    }

    public static ApplyProperties properties(ApplyProperties.Target target) {
        return new ApplyProperties("thordb", Map.of("t", target), new ApplyProperties.Batch(10_000, 20_000),
                new ApplyProperties.Retry(Duration.ofSeconds(1), Duration.ofSeconds(2)), Duration.ofMillis(100), null);
    }
}
