package dev.bifrost.capture;

import dev.bifrost.testsupport.PostgresServer;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.springframework.jdbc.datasource.DriverManagerDataSource;

/**
 * A fresh ThorDB on a real PostgreSQL server, with the schema of capture-service's Flyway migrations applied
 * exactly as the service applies them at start ({@code spring.flyway.schemas: bifrost}).
 */
public final class ThorDatabase {

    private static final AtomicInteger COUNT = new AtomicInteger();

    private final String url;
    private final DataSource dataSource;

    private ThorDatabase(String url) {
        this.url = url;
        this.dataSource = new DriverManagerDataSource(url, PostgresServer.USER, "");
    }

    public static ThorDatabase create(PostgresServer server) throws SQLException {
        String name = "thordb_" + COUNT.incrementAndGet();
        server.createDatabase(name);
        ThorDatabase db = new ThorDatabase(server.jdbcUrl(name));
        Flyway.configure().dataSource(db.url, PostgresServer.USER, "").schemas("bifrost").createSchemas(true)
                .load().migrate();
        db.installDdlCapture();
        return db;
    }

    /** The event trigger that writes schema changes into the WAL, as a superuser installs it on ThorDB. */
    public void installDdlCapture() throws SQLException {
        try (var in = ThorDatabase.class.getClassLoader().getResourceAsStream("db/ddl/ddl-capture.sql")) {
            execute(new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8));
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    public DataSource dataSource() {
        return dataSource;
    }

    public String url() {
        return url;
    }

    /** Each row of the query as its columns' text joined by {@code |} ({@code null} for NULL). */
    public List<String> rows(String sql) throws SQLException {
        List<String> rows = new ArrayList<>();
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement();
                ResultSet rs = s.executeQuery(sql)) {
            int columns = rs.getMetaData().getColumnCount();
            while (rs.next()) {
                StringBuilder row = new StringBuilder();
                for (int i = 1; i <= columns; i++) {
                    row.append(i > 1 ? "|" : "").append(rs.getString(i));
                }
                rows.add(row.toString());
            }
        }
        return rows;
    }

    public long count(String sql) throws SQLException {
        return Long.parseLong(rows(sql).get(0));
    }

    public void execute(String sql) throws SQLException {
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement()) {
            s.execute(sql);
        }
    }
}
