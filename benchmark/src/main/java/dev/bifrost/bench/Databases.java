package dev.bifrost.bench;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Properties;

/**
 * Connections to the three local servers as the role {@code bifrost}. Every connection of the benchmark carries
 * {@value #APPLICATION_NAME}, which the cost meter uses to leave the benchmark's own work out.
 */
final class Databases {

    static final String APPLICATION_NAME = "bifrost-bench";

    private final Settings settings;

    Databases(Settings settings) {
        this.settings = settings;
    }

    Target source() {
        return new Target("thordb", settings.pgPort(), "thordb");
    }

    /** The {@code postgres} database of each of the three servers, source first. */
    List<Target> servers() {
        return List.of(new Target("thordb", settings.pgPort(), "postgres"),
                new Target("mjolnirdb", settings.pgPort() + 1, "postgres"),
                new Target("stormbreakerdb", settings.pgPort() + 2, "postgres"));
    }

    Connection connect(Target target) throws SQLException {
        Properties props = new Properties();
        props.setProperty("user", settings.dbUser());
        props.setProperty("password", settings.dbPassword());
        props.setProperty("ApplicationName", APPLICATION_NAME);
        props.setProperty("connectTimeout", "10");
        props.setProperty("tcpKeepAlive", "true");
        return DriverManager.getConnection(target.jdbcUrl(), props);
    }

    /** Runs statements one by one in autocommit mode. */
    void execute(Target target, String... statements) throws SQLException {
        try (Connection c = connect(target); Statement s = c.createStatement()) {
            for (String sql : statements) {
                s.execute(sql);
            }
        }
    }

    /** A libpq connection string to the source, for {@code CREATE SUBSCRIPTION}. */
    String sourceConninfo() {
        return "host=127.0.0.1 port=" + settings.pgPort() + " dbname=thordb user=" + conninfoValue(settings.dbUser())
                + " password=" + conninfoValue(settings.dbPassword());
    }

    private static String conninfoValue(String value) {
        return "'" + value.replace("\\", "\\\\").replace("'", "\\'") + "'";
    }

    static String literal(String value) {
        return "'" + value.replace("'", "''") + "'";
    }

    static String quote(String identifier) {
        return "\"" + identifier.replace("\"", "\"\"") + "\"";
    }
}
