package dev.bifrost.apply.status;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.bifrost.apply.ApplyProperties;
import dev.bifrost.apply.OneTarget;
import dev.bifrost.testsupport.PostgresServer;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The target probe against a real PostgreSQL: it keeps one connection between probes instead of logging in
 * every few seconds, and still tells a target that went away from one that came back.
 */
class TargetProbeIT {

    private static final String PROBES = """
            SELECT pid FROM pg_stat_activity WHERE application_name = 'bifrost-apply-probe' ORDER BY pid""";

    @Test
    void keepsOneConnectionAndNoticesATargetThatWentAwayAndCameBack() throws Exception {
        try (PostgresServer postgres = PostgresServer.start("probe")) {
            postgres.createDatabase("target");
            try (Connection c = postgres.connect("target"); Statement s = c.createStatement()) {
                s.execute("CREATE SCHEMA bifrost");
                s.execute("CREATE TABLE bifrost.dead_letter (id bigint)");
                s.execute("INSERT INTO bifrost.dead_letter VALUES (1), (2), (3)");
            }
            ApplyProperties properties = OneTarget.properties(OneTarget.target(postgres));
            try (TargetProbe probe = new TargetProbe(properties)) {
                probe.probeAll();
                assertThat(probe.probe("t").reachable()).isTrue();
                assertThat(probe.probe("t").deadLetters()).isEqualTo(3);
                List<Integer> first = probeBackends(postgres);
                assertThat(first).hasSize(1);

                probe.probeAll();
                probe.probeAll();
                assertThat(probeBackends(postgres)).as("the same connection, not a login per probe")
                        .isEqualTo(first);

                // the kept connection dies under it (an administrator, a pooler): a fresh one answers at once
                try (Connection c = postgres.connect("target"); Statement s = c.createStatement()) {
                    s.execute("SELECT pg_terminate_backend(" + first.get(0) + ")");
                }
                probe.probeAll();
                assertThat(probe.probe("t").reachable()).isTrue();
                // the terminated backend leaves pg_stat_activity a moment after it was told to
                await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(probeBackends(postgres))
                        .hasSize(1).doesNotContainAnyElementsOf(first));

                postgres.stop();
                probe.probeAll();
                assertThat(probe.probe("t").reachable()).isFalse();
                assertThat(probe.probe("t").error()).isNotBlank();

                postgres.restart();
                probe.probeAll();
                assertThat(probe.probe("t").reachable()).as("reachable on the first probe after the restart")
                        .isTrue();
                assertThat(probe.probe("t").deadLetters()).isEqualTo(3);
            }
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(probeBackends(postgres))
                    .as("closed with the probe").isEmpty());
        }
    }

    @Test
    void logsInAgainOnceItsConnectionIsOldSoThatATargetRefusingLoginsShowsAsUnreachable() throws Exception {
        try (PostgresServer postgres = PostgresServer.start("probe-age")) {
            postgres.createDatabase("target");
            ApplyProperties properties = OneTarget.properties(OneTarget.target(postgres));
            try (TargetProbe probe = new TargetProbe(properties, Duration.ofMillis(300))) {
                probe.probeAll();
                assertThat(probe.probe("t").reachable()).isTrue();
                assertThat(probe.probe("t").deadLetters()).as("no dead-letter table yet").isZero();

                // the old session still answers; only a new login tells that the target refuses Bifrost now
                try (Connection c = postgres.connect("postgres"); Statement s = c.createStatement()) {
                    s.execute("ALTER DATABASE target ALLOW_CONNECTIONS false");
                }
                await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(100)).until(() -> {
                    probe.probeAll();
                    return !probe.probe("t").reachable();
                });
                assertThat(probe.probe("t").error()).contains("not currently accepting connections");
            }
        }
    }

    private static List<Integer> probeBackends(PostgresServer postgres) throws SQLException {
        List<Integer> pids = new ArrayList<>();
        try (Connection c = postgres.connect("postgres"); Statement s = c.createStatement();
                ResultSet rs = s.executeQuery(PROBES)) {
            while (rs.next()) {
                pids.add(rs.getInt(1));
            }
        }
        return pids;
    }
}
