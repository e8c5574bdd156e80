package dev.bifrost.capture.engine;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * Makes sure ThorDB's event trigger that writes schema changes into the WAL stream is installed, in the
 * version this build expects ({@code db/ddl/ddl-capture.sql}). Without it a schema change would reach the
 * targets late or wrongly typed, so the capture does not stream without it: as a superuser it installs the
 * trigger itself; otherwise it stops with a message that says which script to run.
 */
@Component
class DdlCapture {

    static final String SCRIPT = "db/ddl/ddl-capture.sql";
    static final String VERSION = "bifrost-ddl-capture 1";

    private static final Logger log = LoggerFactory.getLogger(DdlCapture.class);

    private static final String STATE = """
            SELECT (SELECT count(*) FROM pg_event_trigger
                    WHERE evtname IN ('bifrost_capture_ddl', 'bifrost_capture_drop') AND evtenabled <> 'D') AS triggers,
                   obj_description(to_regprocedure('bifrost_ddl.capture_ddl()'), 'pg_proc') AS version,
                   (SELECT rolsuper FROM pg_roles WHERE rolname = current_user) AS superuser""";

    private final JdbcTemplate jdbc;

    DdlCapture(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    void ensureInstalled() {
        Map<String, Object> state = jdbc.queryForMap(STATE);
        boolean installed = ((Number) state.get("triggers")).intValue() == 2 && VERSION.equals(state.get("version"));
        if (installed) {
            return;
        }
        if (!Boolean.TRUE.equals(state.get("superuser"))) {
            throw new IllegalStateException("ThorDB lacks Bifrost's DDL event trigger (" + VERSION + "), without "
                    + "which schema changes cannot be replicated; run " + SCRIPT + " of capture-service (also in "
                    + "its jar) on the source database as a superuser, e.g. psql -U postgres -d thordb -f ddl-capture.sql");
        }
        jdbc.execute(script());
        log.info("installed Bifrost's DDL event trigger ({}) on the source database", VERSION);
    }

    static String script() {
        try (InputStream in = DdlCapture.class.getClassLoader().getResourceAsStream(SCRIPT)) {
            if (in == null) {
                throw new IllegalStateException(SCRIPT + " is missing from the class path");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalStateException("cannot read " + SCRIPT, e);
        }
    }
}
