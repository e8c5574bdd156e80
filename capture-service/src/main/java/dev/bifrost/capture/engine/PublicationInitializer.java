package dev.bifrost.capture.engine;

import static dev.bifrost.capture.SqlNames.quote;


import dev.bifrost.capture.CaptureProperties;
import dev.bifrost.capture.SqlNames;
import java.util.List;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * Creates the publication as {@code FOR TABLES IN SCHEMA <schemas>} (PostgreSQL 15+), so that tables
 * created later in those schemas are captured without any change, and adds schemas that the configuration
 * gained since.
 */
@Component
class PublicationInitializer {

    private static final Logger log = LoggerFactory.getLogger(PublicationInitializer.class);

    private static final String PUBLISHED_SCHEMAS = """
            SELECT n.nspname FROM pg_publication p
            JOIN pg_publication_namespace pn ON pn.pnpubid = p.oid
            JOIN pg_namespace n ON n.oid = pn.pnnspid
            WHERE p.pubname = ?""";

    private final JdbcTemplate jdbc;
    private final CaptureProperties properties;

    PublicationInitializer(JdbcTemplate jdbc, CaptureProperties properties) {
        this.jdbc = jdbc;
        this.properties = properties;
    }

    void ensurePublication() {
        String name = properties.publicationName();
        for (String schema : properties.schemas()) {
            jdbc.execute("CREATE SCHEMA IF NOT EXISTS " + quote(schema));
        }
        Integer exists = jdbc.queryForObject("SELECT count(*) FROM pg_publication WHERE pubname = ?",
                Integer.class, name);
        if (exists == null || exists == 0) {
            jdbc.execute("CREATE PUBLICATION " + quote(name) + " FOR TABLES IN SCHEMA " + quoted(properties.schemas()));
            log.info("created publication {} for the tables of schemas {}", name, properties.schemas());
            return;
        }
        List<String> published = jdbc.queryForList(PUBLISHED_SCHEMAS, String.class, name);
        List<String> missing = properties.schemas().stream().filter(s -> !published.contains(s)).toList();
        if (!missing.isEmpty()) {
            jdbc.execute("ALTER PUBLICATION " + quote(name) + " ADD TABLES IN SCHEMA " + quoted(missing));
            log.info("added schemas {} to publication {}", missing, name);
        }
    }

    private static String quoted(List<String> identifiers) {
        return identifiers.stream().map(SqlNames::quote).collect(Collectors.joining(", "));
    }
}
