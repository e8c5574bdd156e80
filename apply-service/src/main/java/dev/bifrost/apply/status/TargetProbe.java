package dev.bifrost.apply.status;

import dev.bifrost.apply.ApplyProperties;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * Checks in the background that each target database answers, and counts its dead letters; status and
 * health read the last result instead of querying on every call.
 *
 * <p>One connection per target is kept open between probes: a new one every few seconds would cost the
 * target a backend start and both sides a SCRAM key derivation each time. A connection that fails is closed
 * and a fresh one tried at once, so a restarted target shows as reachable on the next probe.
 */
@Component
class TargetProbe implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(TargetProbe.class);

    private static final String DEAD_LETTERS = """
            SELECT CASE WHEN to_regclass('bifrost.dead_letter') IS NULL THEN 0
                   ELSE (SELECT count(*) FROM bifrost.dead_letter) END""";

    /** The last probe of one target. */
    record Probe(boolean reachable, long deadLetters, @Nullable String error, long probedAt) {
    }

    private final ApplyProperties properties;
    private final Map<String, Probe> probes = new ConcurrentHashMap<>();
    /** Used by the scheduler's one thread only, and by {@link #close()} after it stopped. */
    private final Map<String, Connection> connections = new HashMap<>();

    TargetProbe(ApplyProperties properties) {
        this.properties = properties;
    }

    @Scheduled(fixedDelayString = "${bifrost.apply.status-refresh:2s}")
    synchronized void probeAll() {
        properties.targets().forEach((name, target) -> probes.put(name, probe(name, target)));
    }

    private Probe probe(String name, ApplyProperties.Target target) {
        Connection kept = connections.get(name);
        if (kept != null) {
            try {
                return query(kept);
            } catch (SQLException | RuntimeException e) {
                // the target restarted, or the network dropped the connection: a fresh one tells which
                log.debug("probe connection to target {} failed ({}); connecting again", name, e.getMessage());
                forget(name);
            }
        }
        try {
            Connection fresh = connect(target);
            connections.put(name, fresh);
            return query(fresh);
        } catch (SQLException | RuntimeException e) {
            forget(name);
            return new Probe(false, -1, e.getMessage(), System.currentTimeMillis());
        }
    }

    private static Connection connect(ApplyProperties.Target target) throws SQLException {
        Properties props = new Properties();
        props.setProperty("user", target.username());
        props.setProperty("password", target.password() == null ? "" : target.password());
        props.setProperty("connectTimeout", "3");
        props.setProperty("socketTimeout", "5");
        props.setProperty("tcpKeepAlive", "true");
        props.setProperty("ApplicationName", "bifrost-apply-probe");
        return DriverManager.getConnection(target.url(), props);
    }

    private static Probe query(Connection c) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(DEAD_LETTERS)) {
            rs.next();
            return new Probe(true, rs.getLong(1), null, System.currentTimeMillis());
        }
    }

    private void forget(String name) {
        Connection c = connections.remove(name);
        if (c != null) {
            try {
                c.close();
            } catch (SQLException e) {
                log.debug("closing the probe connection to target {}", name, e);
            }
        }
    }

    /** Closes the kept connections; Spring calls it when the service stops. */
    @Override
    public synchronized void close() {
        for (String name : List.copyOf(connections.keySet())) {
            forget(name);
        }
    }

    @Nullable Probe probe(String target) {
        return probes.get(target);
    }
}
