package dev.bifrost.apply.status;

import dev.bifrost.apply.ApplyProperties;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * Checks in the background that each target database answers, and counts its dead letters; status and
 * health read the last result instead of querying on every call.
 *
 * <p>One connection per target is kept open between probes: a new one every few seconds would cost the
 * target a backend start and both sides a SCRAM key derivation each time. A connection that fails is closed
 * and a fresh one tried at once, so a restarted target shows as reachable on the next probe; and none is
 * kept longer than a minute ({@link #MAX_AGE}), so that a target that no longer lets Bifrost log in (a
 * changed password or {@code pg_hba.conf}, no connection slots left) shows as unreachable within that time.
 */
@Component
class TargetProbe implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(TargetProbe.class);

    /** Asked first: a query naming a table that does not exist fails, whatever CASE guards it. */
    private static final String HAS_DEAD_LETTERS = "SELECT to_regclass('bifrost.dead_letter') IS NOT NULL";
    private static final String DEAD_LETTERS = "SELECT count(*) FROM bifrost.dead_letter";

    /** The last probe of one target. */
    record Probe(boolean reachable, long deadLetters, @Nullable String error, long probedAt) {
    }

    /** How long a probe connection is used before the probe logs in again. */
    static final Duration MAX_AGE = Duration.ofMinutes(1);

    /** A kept connection and when it was opened. */
    private record Kept(Connection connection, long openedAt) {
    }

    private final ApplyProperties properties;
    private final Duration maxAge;
    private final Map<String, Probe> probes = new ConcurrentHashMap<>();
    /** Guarded by this object's lock: the scheduler's thread probes, the shutdown closes. */
    private final Map<String, Kept> connections = new HashMap<>();
    private boolean closed;

    @Autowired
    TargetProbe(ApplyProperties properties) {
        this(properties, MAX_AGE);
    }

    TargetProbe(ApplyProperties properties, Duration maxAge) {
        this.properties = properties;
        this.maxAge = maxAge;
    }

    @Scheduled(fixedDelayString = "${bifrost.apply.status-refresh:2s}")
    synchronized void probeAll() {
        if (closed) {
            return;
        }
        properties.targets().forEach((name, target) -> probes.put(name, probe(name, target)));
    }

    private Probe probe(String name, ApplyProperties.Target target) {
        Kept kept = connections.get(name);
        if (kept != null && System.nanoTime() - kept.openedAt() > maxAge.toNanos()) {
            forget(name);
            kept = null;
        }
        if (kept != null) {
            try {
                return query(kept.connection());
            } catch (SQLException | RuntimeException e) {
                // the target restarted, or the connection was dropped: a fresh one tells whether it answers
                log.debug("probe connection to target {} failed ({}); connecting again", name, e.getMessage());
                forget(name);
            }
        }
        try {
            Connection fresh = connect(target);
            connections.put(name, new Kept(fresh, System.nanoTime()));
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
        try (Statement s = c.createStatement()) {
            boolean table;
            try (ResultSet rs = s.executeQuery(HAS_DEAD_LETTERS)) {
                rs.next();
                table = rs.getBoolean(1);
            }
            long deadLetters = 0;
            if (table) {
                try (ResultSet rs = s.executeQuery(DEAD_LETTERS)) {
                    rs.next();
                    deadLetters = rs.getLong(1);
                }
            }
            return new Probe(true, deadLetters, null, System.currentTimeMillis());
        }
    }

    private void forget(String name) {
        Kept kept = connections.remove(name);
        if (kept != null) {
            try {
                kept.connection().close();
            } catch (SQLException e) {
                log.debug("closing the probe connection to target {}", name, e);
            }
        }
    }

    /** Closes the kept connections; Spring calls it when the service stops. */
    @Override
    public synchronized void close() {
        closed = true;
        for (String name : List.copyOf(connections.keySet())) {
            forget(name);
        }
    }

    @Nullable Probe probe(String target) {
        return probes.get(target);
    }
}
