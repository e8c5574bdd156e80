package dev.bifrost.capture.refine;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import javax.sql.DataSource;
import org.springframework.beans.factory.annotation.Autowired;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * Brings the star schema in {@code refined} up to date with the raw tables, in one transaction.
 *
 * <p>Dimensions first: every staged value not yet in its dimension is appended with the next id of the
 * dimension's identity, in byte order of the values (collation C, whatever the database's locale). Existing rows are never renumbered or deleted, so a fact that
 * pointed at a value keeps pointing at it on every replica. Then, per fact table, the facts whose raw row is
 * gone are deleted, and the staged rows that are new or differ from their fact are upserted: unchanged facts
 * are not written at all, so a refresh after a small load is a small transaction, and a refresh with nothing
 * to do writes nothing (the statements are in {@link FactTables}). Foreign keys to the dimensions are
 * enforced by PostgreSQL; a refresh that writes many facts validates them once instead of row by row (see
 * {@link ForeignKeys}).
 *
 * <p>Refreshes take a transaction-scoped advisory lock, so the command and the service never refresh at the
 * same time (they would both append the same new dimension values).
 */
@Component
public class Refiner {

    private static final Logger log = LoggerFactory.getLogger(Refiner.class);

    private static final String LOCK = "SELECT pg_advisory_xact_lock(hashtext('bifrost.refine'))";

    /** Appends the values of {@code %2$s} missing from dimension {@code %1$s}; answers how many. */
    private static final String ADD_DIMENSION_VALUES = """
            WITH added AS (
                INSERT INTO refined.%1$s (descricao, dt_carga)
                SELECT v, localtimestamp FROM (%2$s) s (v)
                WHERE NOT EXISTS (SELECT 1 FROM refined.%1$s d WHERE d.descricao = s.v)
                GROUP BY v
                ORDER BY v COLLATE "C"
                RETURNING 1)
            SELECT count(*) FROM added""";

    /** Each dimension and the staged values it is built from, in refresh order. */
    private static final Map<String, String> DIMENSIONS = dimensions();

    private static Map<String, String> dimensions() {
        Map<String, String> d = new LinkedHashMap<>();
        d.put("dim_uf", """
                SELECT uf FROM staging.stg_registros
                UNION SELECT uf FROM staging.stg_portes
                UNION SELECT uf FROM staging.stg_ocorrencias""");
        d.put("dim_municipio", """
                SELECT municipio FROM staging.stg_registros
                UNION SELECT municipio FROM staging.stg_portes
                UNION SELECT municipio FROM staging.stg_ocorrencias""");
        d.put("dim_especie_arma", """
                SELECT especie_arma FROM staging.stg_registros
                UNION SELECT especie_arma FROM staging.stg_portes
                UNION SELECT especie_arma FROM staging.stg_ocorrencias""");
        d.put("dim_marca", """
                SELECT marca_arma FROM staging.stg_registros
                UNION SELECT marca_arma FROM staging.stg_portes
                UNION SELECT marca_arma FROM staging.stg_ocorrencias""");
        d.put("dim_calibre", """
                SELECT calibre_arma FROM staging.stg_registros
                UNION SELECT calibre_arma FROM staging.stg_portes
                UNION SELECT calibre_arma FROM staging.stg_ocorrencias""");
        d.put("dim_categoria", """
                SELECT categoria FROM staging.stg_registros""");
        d.put("dim_genero", """
                SELECT sexo FROM staging.stg_registros
                UNION SELECT sexo FROM staging.stg_portes""");
        d.put("dim_status", """
                SELECT status_registro FROM staging.stg_registros
                UNION SELECT status FROM staging.stg_portes""");
        d.put("dim_tipo_porte", """
                SELECT tipo FROM staging.stg_portes""");
        d.put("dim_abrangencia", """
                SELECT abrangencia FROM staging.stg_portes""");
        d.put("dim_ocorrencia", """
                SELECT tipo_ocorrencia FROM staging.stg_ocorrencias""");
        return Collections.unmodifiableMap(d);
    }

    private final DataSource dataSource;
    private final long bulkRows;

    @Autowired
    public Refiner(DataSource dataSource) {
        this(dataSource, ForeignKeys.BULK_ROWS);
    }

    /** @param bulkRows from how many facts to write on a table its foreign keys are validated once */
    Refiner(DataSource dataSource, long bulkRows) {
        this.dataSource = dataSource;
        this.bulkRows = bulkRows;
    }

    /** Refreshes the star schema; on return the changes are committed (all of them, or none). */
    public RefinementSummary refine() throws SQLException {
        long start = System.nanoTime();
        Map<String, RefinementSummary.Changes> changes = new LinkedHashMap<>();
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            try (Statement s = c.createStatement()) {
                s.execute(LOCK);
                for (Map.Entry<String, String> dimension : DIMENSIONS.entrySet()) {
                    long added = single(s, ADD_DIMENSION_VALUES.formatted(dimension.getKey(), dimension.getValue()));
                    changes.put(dimension.getKey(), new RefinementSummary.Changes(added, 0, 0));
                }
                for (FactTables.Fact fact : FactTables.ALL) {
                    changes.put(fact.table(), refresh(c, s, fact));
                }
                c.commit();
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            }
        }
        RefinementSummary summary = new RefinementSummary(changes, (System.nanoTime() - start) / 1_000_000);
        log.info("refined: {} rows changed in {} ms", summary.rowsChanged(), summary.millis());
        return summary;
    }

    private RefinementSummary.Changes refresh(Connection c, Statement s, FactTables.Fact fact)
            throws SQLException {
        long deleted = s.executeUpdate(fact.delete());
        long changed = s.executeUpdate(fact.changes());
        if (changed == 0) {
            return new RefinementSummary.Changes(0, 0, deleted);
        }
        @Nullable ForeignKeys bulk = changed >= bulkRows
                ? ForeignKeys.drop(c, "refined", fact.table()) : null;
        RefinementSummary.Changes result;
        try (ResultSet rs = s.executeQuery(fact.upsert())) {
            rs.next();
            result = new RefinementSummary.Changes(rs.getLong(1), rs.getLong(2), deleted);
        }
        if (bulk != null) {
            bulk.restore(c);
        }
        return result;
    }

    private static long single(Statement s, String sql) throws SQLException {
        try (ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
