package dev.bifrost.apply.status;

import dev.bifrost.apply.ApplyProperties;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;
import org.jspecify.annotations.Nullable;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * Checks in the background that each target database answers, and counts its dead letters; status and
 * health read the last result instead of querying on every call.
 */
@Component
class TargetProbe {

    private static final String DEAD_LETTERS = """
            SELECT CASE WHEN to_regclass('bifrost.dead_letter') IS NULL THEN 0
                   ELSE (SELECT count(*) FROM bifrost.dead_letter) END""";

    /** The last probe of one target. */
    record Probe(boolean reachable, long deadLetters, @Nullable String error, long probedAt) {
    }

    private final ApplyProperties properties;
    private final Map<String, Probe> probes = new ConcurrentHashMap<>();

    TargetProbe(ApplyProperties properties) {
        this.properties = properties;
    }

    @Scheduled(fixedDelayString = "${bifrost.apply.status-refresh:2s}")
    void probeAll() {
        properties.targets().forEach((name, target) -> probes.put(name, probe(target)));
    }

    private static Probe probe(ApplyProperties.Target target) {
        Properties props = new Properties();
        props.setProperty("user", target.username());
        props.setProperty("password", target.password() == null ? "" : target.password());
        props.setProperty("connectTimeout", "3");
        props.setProperty("socketTimeout", "5");
        props.setProperty("ApplicationName", "bifrost-apply-probe");
        try (Connection c = DriverManager.getConnection(target.url(), props); Statement s = c.createStatement();
                ResultSet rs = s.executeQuery(DEAD_LETTERS)) {
            rs.next();
            return new Probe(true, rs.getLong(1), null, System.currentTimeMillis());
        } catch (Exception e) {
            return new Probe(false, -1, e.getMessage(), System.currentTimeMillis());
        }
    }

    @Nullable Probe probe(String target) {
        return probes.get(target);
    }
}
