package dev.bifrost.bench;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * The rows written to {@code raw.registros} on the source, with explicit ids so that every phase knows exactly
 * which rows exist: the snapshot's pre-existing rows {@code 1..snapshotRows}; the streaming changes (inserts of
 * ids {@code 1..inserts} in transactions of {@value #TX_ROWS}, then updates of every tenth of them, then
 * deletes of every fiftieth, both in transactions of {@value #TX_ROWS}); and two marker rows outside those
 * ranges: {@link #PROBE_ID} (proves a pipeline live before a phase) and {@link #SENTINEL_ID} (committed last:
 * both systems apply in commit order, so a target that shows it holds everything before it).
 */
final class Workload {

    static final int TX_ROWS = 1000;
    static final long PROBE_ID = -1;
    static final long SENTINEL_ID = 1_000_000_000_000L;
    static final long WARM_UP_FIRST_ID = -1_000_000_000_000L;

    /** Rows over the range {@code [?, ?]}: deterministic, varied values in every column. */
    static final String INSERT_RANGE = """
            INSERT INTO raw.registros (id, ano_emissao, mes_missao, uf, municipio, status_registro, especie_arma,
                marca_arma, calibre_arma, sexo, categoria, total, dt_carga)
            SELECT g, 2000 + (g % 25)::int, 1 + (g % 12)::int,
                (ARRAY['AC','AL','AP','AM','BA','CE','DF','ES','GO','MA','MT','MS','MG','PA','PB','PR','PE','PI',
                       'RJ','RN','RS','RO','RR','SC','SP','SE','TO'])[1 + (abs(g) % 27)::int],
                'MUNICIPIO ' || (g % 5570),
                (ARRAY['ATIVO','VENCIDO','CANCELADO','SUSPENSO'])[1 + (abs(g) % 4)::int],
                (ARRAY['PISTOLA','REVOLVER','ESPINGARDA','CARABINA','FUZIL'])[1 + (abs(g) % 5)::int],
                'MARCA ' || (g % 97),
                (ARRAY['.380','9MM','.38','12','.40','.22'])[1 + (abs(g) % 6)::int],
                (ARRAY['M','F'])[1 + (abs(g) % 2)::int],
                'CATEGORIA ' || (g % 13) || ' - CIDADAO',
                1 + (abs(g) % 50)::int,
                timestamp '2024-01-01 00:00:00' + (g % 100000000) * interval '1 second'
            FROM generate_series(?::bigint, ?::bigint) g""";

    private static final String UPDATE_IDS = """
            UPDATE raw.registros SET total = total + 1, status_registro = 'ATUALIZADO'
            WHERE id = ANY (ARRAY(SELECT generate_series(?::bigint, ?::bigint, ?::bigint)))""";

    private static final String DELETE_IDS = """
            DELETE FROM raw.registros
            WHERE id = ANY (ARRAY(SELECT generate_series(?::bigint, ?::bigint, ?::bigint)))""";

    final long snapshotRows;
    final long inserts;
    final long updates;
    final long deletes;
    final long warmUpRows;

    Workload(Settings settings) {
        this.warmUpRows = Math.max(20_000, settings.rows(100_000));
        this.snapshotRows = settings.rows(1_000_000);
        this.inserts = settings.rows(500_000);
        this.updates = Math.min(inserts, settings.rows(50_000));
        this.deletes = Math.min(inserts, settings.rows(10_000));
    }

    /** The row changes of one streaming run (inserts, updates, deletes; not the sentinel). */
    long changes() {
        return inserts + updates + deletes;
    }

    /** Inserts ids {@code 1..rows} in one transaction, then vacuums and checkpoints, so both systems read alike. */
    void load(Connection c, long rows) throws SQLException {
        c.setAutoCommit(true);
        try (PreparedStatement ps = c.prepareStatement(INSERT_RANGE)) {
            ps.setLong(1, 1);
            ps.setLong(2, rows);
            ps.executeUpdate();
        }
        try (Statement s = c.createStatement()) {
            s.execute("VACUUM (ANALYZE) raw.registros");
            s.execute("CHECKPOINT");
        }
    }

    /** Writes the streaming changes as fast as the source takes them; returns the nanoTime when done. */
    long writeChanges(Connection c) throws SQLException {
        c.setAutoCommit(false);
        try (PreparedStatement insert = c.prepareStatement(INSERT_RANGE)) {
            for (long from = 1; from <= inserts; from += TX_ROWS) {
                insert.setLong(1, from);
                insert.setLong(2, Math.min(inserts, from + TX_ROWS - 1));
                insert.executeUpdate();
                c.commit();
            }
        }
        // every step-th row from 1 (updates) and from step/2 (deletes): different rows, spread over the table
        inTransactions(c, UPDATE_IDS, updates, Math.max(1, inserts / updates), 1);
        long deleteStep = Math.max(1, inserts / deletes);
        inTransactions(c, DELETE_IDS, deletes, deleteStep, Math.max(1, deleteStep / 2));
        c.setAutoCommit(true);
        return System.nanoTime();
    }

    private static void inTransactions(Connection c, String sql, long count, long step, long first)
            throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            for (long done = 0; done < count; done += TX_ROWS) {
                long n = Math.min(TX_ROWS, count - done);
                ps.setLong(1, first + done * step);
                ps.setLong(2, first + (done + n - 1) * step);
                ps.setLong(3, step);
                ps.executeUpdate();
                c.commit();
            }
        }
    }

    /**
     * Warms a freshly started system up before a streaming phase measures it: {@code rows} inserts, updates of
     * all of them, then deletes of all of them, in transactions of {@value #TX_ROWS}, on ids far below the
     * phase's (so the table is as before). A replication service runs for months; its JIT-compiled steady state
     * is what a throughput figure is about, not its first seconds.
     */
    static void warmUp(Connection c, long rows) throws SQLException {
        long first = WARM_UP_FIRST_ID;
        long last = first + rows - 1;
        c.setAutoCommit(false);
        try (PreparedStatement insert = c.prepareStatement(INSERT_RANGE)) {
            for (long from = first; from <= last; from += TX_ROWS) {
                insert.setLong(1, from);
                insert.setLong(2, Math.min(last, from + TX_ROWS - 1));
                insert.executeUpdate();
                c.commit();
            }
        }
        inTransactions(c, UPDATE_IDS, rows, 1, first);
        inTransactions(c, DELETE_IDS, rows, 1, first);
        c.setAutoCommit(true);
    }

    static void insertRow(Connection c, long id) throws SQLException {
        c.setAutoCommit(true);
        try (PreparedStatement ps = c.prepareStatement(INSERT_RANGE)) {
            ps.setLong(1, id);
            ps.setLong(2, id);
            ps.executeUpdate();
        }
    }

    static void deleteRow(Connection c, long id) throws SQLException {
        c.setAutoCommit(true);
        try (PreparedStatement ps = c.prepareStatement("DELETE FROM raw.registros WHERE id = ?")) {
            ps.setLong(1, id);
            ps.executeUpdate();
        }
    }
}
