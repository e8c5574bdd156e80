package dev.bifrost.capture.publish;

import static dev.bifrost.capture.SqlNames.quote;


import dev.bifrost.capture.CaptureProperties;
import dev.bifrost.model.ChangelogRecord;
import dev.bifrost.model.ChangelogSerde;
import dev.bifrost.model.Column;
import dev.bifrost.model.CopyRows;
import dev.bifrost.model.TableSchema;
import java.io.ByteArrayOutputStream;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;
import org.postgresql.PGConnection;
import org.postgresql.PGProperty;
import org.postgresql.copy.CopyOut;
import org.postgresql.replication.LogSequenceNumber;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.kafka.support.SendResult;
import org.springframework.stereotype.Component;

/**
 * The initial snapshot, taken the way PostgreSQL's own logical replication takes it: the replication slot is
 * created with an exported snapshot, every published table is copied out of that snapshot with
 * {@code COPY ... TO STDOUT} by parallel workers, and streaming then starts at the slot's consistent point,
 * so that every transaction is either in the copy or in the stream, exactly once.
 *
 * <p>The rows travel in COPY text format, unparsed, in chunks of {@code bifrost.capture.chunk.snapshot-bytes}; the
 * chunks are one changelog transaction of kind SNAPSHOT, closed by a last record that carries the consistent
 * point as its commit LSN. When Kafka holds all of it, {@code bifrost.initial_snapshot} records it for the
 * slot. A capture that stops before that drops the slot on its next start and takes the snapshot again; the
 * apply side drops the unfinished one when the new one begins. Debezium itself never snapshots
 * ({@code snapshot.mode=no_data}): with no offset it streams from the slot's confirmed position.
 */
@Component
public class InitialSnapshot {

    private static final Logger log = LoggerFactory.getLogger(InitialSnapshot.class);

    private static final int WORKERS = 2;

    private static final String PUBLISHED_TABLES = """
            SELECT schemaname, tablename FROM pg_publication_tables WHERE pubname = ? ORDER BY 1, 2""";
    private static final String SLOT = "SELECT active FROM pg_replication_slots WHERE slot_name = ? AND database = current_database()";
    private static final String DONE = "SELECT count(*) FROM bifrost.initial_snapshot WHERE slot_name = ?";
    /** Debezium's offsets of one engine: their keys name it. */
    private static final String ENGINE_OFFSETS =
            "FROM bifrost.debezium_offset WHERE position(? in convert_from(offset_key, 'UTF8')) > 0";
    private static final String RECORD = """
            INSERT INTO bifrost.initial_snapshot (slot_name, consistent_lsn, tables, rows_copied, started_at, finished_at)
            VALUES (?, ?::pg_lsn, ?, ?, to_timestamp(? / 1e6), now())""";

    private final JdbcTemplate jdbc;
    private final CaptureProperties properties;
    private final ChangelogSender sender;
    private final CaptureStats stats;
    private final ShapeHistory history;

    InitialSnapshot(JdbcTemplate jdbc, CaptureProperties properties, ChangelogSender sender, CaptureStats stats,
            ShapeHistory history) {
        this.history = history;
        this.jdbc = jdbc;
        this.properties = properties;
        this.sender = sender;
        this.stats = stats;
    }

    /**
     * Takes the initial snapshot unless the slot exists and its snapshot (or Debezium's offsets) are on record.
     * Blocks until Kafka acknowledged the whole snapshot.
     */
    public void ensure(String engineName, BooleanSupplier wanted) throws SQLException, InterruptedException {
        String slot = properties.slotName();
        String engineKey = "\"" + engineName + "\"";
        List<Boolean> active = jdbc.queryForList(SLOT, Boolean.class, slot);
        boolean recorded = count(DONE, slot) > 0 || count("SELECT count(*) " + ENGINE_OFFSETS, engineKey) > 0;
        if (!active.isEmpty() && recorded) {
            history.seedIfEmpty(jdbc.execute(
                    (Connection c) -> SourceCatalog.publishedTables(c, properties.publicationName())));
            return;
        }
        if (!active.isEmpty()) {
            if (active.get(0)) {
                throw new IllegalStateException("replication slot " + slot + " has no finished initial snapshot "
                        + "but is in use by another process; stop it (or choose another bifrost.capture.slot-name)");
            }
            log.warn("replication slot {} exists without a finished initial snapshot; dropping it to take the "
                    + "snapshot again", slot);
            jdbc.queryForList("SELECT pg_drop_replication_slot(?)", slot);
        }
        // a new slot: whatever was recorded for an earlier one no longer holds
        jdbc.update("DELETE FROM bifrost.initial_snapshot WHERE slot_name = ?", slot);
        jdbc.update("DELETE " + ENGINE_OFFSETS, engineKey);
        take(slot, wanted);
    }

    private long count(String sql, String argument) {
        Long n = jdbc.queryForObject(sql, Long.class, argument);
        return n == null ? 0 : n;
    }

    private void take(String slot, BooleanSupplier wanted) throws SQLException, InterruptedException {
        long started = System.nanoTime();
        long micros = System.currentTimeMillis() * 1000L;
        CaptureProperties.Source source = properties.source();
        try (Connection replication = replicationConnection(source)) {
            String consistentPoint;
            String snapshotName;
            try (Statement s = replication.createStatement();
                    ResultSet rs = s.executeQuery("CREATE_REPLICATION_SLOT " + slot + " LOGICAL pgoutput EXPORT_SNAPSHOT")) {
                rs.next();
                consistentPoint = rs.getString("consistent_point");
                snapshotName = rs.getString("snapshot_name");
            }
            if (!snapshotName.matches("[0-9A-Fa-f-]+")) {
                throw new IllegalStateException("unexpected exported snapshot name '" + snapshotName + "'");
            }
            log.info("created replication slot {} at {}; copying the published tables from snapshot {}", slot,
                    consistentPoint, snapshotName);
            stats.snapshotStarted();
            Copy copy = new Copy(snapshotName, micros, wanted);
            copy.run();
            long lsn = LogSequenceNumber.valueOf(consistentPoint).asLong();
            ChangelogRecord last = new ChangelogRecord(ChangelogSerde.VERSION, ChangelogRecord.Kind.SNAPSHOT,
                    copy.xid, copy.nextSeq(), true, lsn, micros, List.of(), List.of());
            sender.flush();
            copy.checkSends();
            CompletableFuture<SendResult<byte[], byte[]>> ack = sender.send(last);
            sender.flush();
            ChangelogPublisher.awaitAck(ack, sender.topic());
            copy.checkSends();
            history.recordSnapshot(copy.tables);
            jdbc.update(RECORD, slot, consistentPoint, copy.tables.size(), copy.rows, micros);
            stats.snapshotFinished(lsn, micros);
            log.info("initial snapshot of {} tables, {} rows, in Kafka after {} ms; streaming from {}",
                    copy.tables.size(), copy.rows, (System.nanoTime() - started) / 1_000_000, consistentPoint);
        }
    }

    private static Connection replicationConnection(CaptureProperties.Source source) throws SQLException {
        Properties p = new Properties();
        PGProperty.USER.set(p, source.user());
        PGProperty.PASSWORD.set(p, source.password());
        PGProperty.REPLICATION.set(p, "database");
        PGProperty.ASSUME_MIN_SERVER_VERSION.set(p, "10");
        PGProperty.PREFER_QUERY_MODE.set(p, "simple");
        return DriverManager.getConnection(source.jdbcUrl(), p);
    }

    /** One copy of every published table out of the exported snapshot. */
    private final class Copy {

        final String snapshotName;
        final long micros;
        final List<TableSchema> tables = new ArrayList<>();
        final AtomicReference<@Nullable Throwable> sendFailure = new AtomicReference<>();
        final BooleanSupplier wanted;
        /** Set when a worker failed: the others stop at their next chunk. */
        volatile boolean failed;
        long xid;
        long rows;
        private int seq;

        Copy(String snapshotName, long micros, BooleanSupplier wanted) {
            this.snapshotName = snapshotName;
            this.micros = micros;
            this.wanted = wanted;
        }

        void run() throws SQLException, InterruptedException {
            List<Connection> connections = new ArrayList<>();
            List<Future<Long>> done = new ArrayList<>();
            ExecutorService workers = Executors.newFixedThreadPool(WORKERS, r -> new Thread(r, "initial-snapshot"));
            try {
                for (int i = 0; i < WORKERS; i++) {
                    connections.add(inSnapshot());
                }
                readTables(connections.get(0));
                List<List<TableSchema>> shares = new ArrayList<>();
                for (int i = 0; i < WORKERS; i++) {
                    shares.add(new ArrayList<>());
                }
                for (int i = 0; i < tables.size(); i++) {
                    shares.get(i % WORKERS).add(tables.get(i));
                }
                for (int i = 0; i < WORKERS; i++) {
                    Connection c = connections.get(i);
                    List<TableSchema> share = shares.get(i);
                    done.add(workers.submit(() -> {
                        try {
                            long n = 0;
                            for (TableSchema table : share) {
                                n += copy(c, table);
                            }
                            return n;
                        } catch (Exception | Error e) {
                            failed = true;
                            throw e;
                        }
                    }));
                }
                for (Future<Long> f : done) {
                    rows += f.get();
                }
            } catch (ExecutionException e) {
                failed = true;
                Throwable cause = e.getCause();
                if (cause instanceof SQLException sql) {
                    throw sql;
                }
                throw new IllegalStateException("initial snapshot failed: " + cause.getMessage(), cause);
            } finally {
                if (done.stream().anyMatch(f -> !f.isDone())) {
                    failed = true;
                }
                workers.shutdownNow();
                if (!workers.awaitTermination(30, TimeUnit.SECONDS)) {
                    log.warn("a snapshot worker did not stop within 30 s");
                }
                for (Connection c : connections) {
                    try {
                        c.close();
                    } catch (SQLException e) {
                        log.debug("closing a snapshot connection", e);
                    }
                }
            }
        }

        private Connection inSnapshot() throws SQLException {
            CaptureProperties.Source source = properties.source();
            Connection c = DriverManager.getConnection(source.jdbcUrl(), source.user(), source.password());
            try {
                c.setAutoCommit(false);
                c.setTransactionIsolation(Connection.TRANSACTION_REPEATABLE_READ);
                c.setReadOnly(true);
                try (Statement s = c.createStatement()) {
                    s.execute("SET TRANSACTION SNAPSHOT '" + snapshotName + "'");
                }
                return c;
            } catch (SQLException e) {
                c.close();
                throw e;
            }
        }

        /** The published tables and their shapes as the snapshot sees them. */
        private void readTables(Connection c) throws SQLException {
            List<String> names = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement(PUBLISHED_TABLES)) {
                ps.setString(1, properties.publicationName());
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        names.add(quote(rs.getString(1)) + "." + quote(rs.getString(2)));
                    }
                }
            }
            try (Statement s = c.createStatement()) {
                // as pg_dump does: no DDL may change a table while it is copied (writes go on)
                for (String name : names) {
                    s.execute("LOCK TABLE ONLY " + name + " IN ACCESS SHARE MODE");
                }
            }
            tables.addAll(SourceCatalog.publishedTables(c, properties.publicationName()));
            try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(
                    "SELECT txid_snapshot_xmin(txid_current_snapshot())")) {
                rs.next();
                xid = rs.getLong(1);
            }
        }

        /** Copies one table, publishing a chunk each time {@code max-bytes} of rows were read. */
        private long copy(Connection c, TableSchema table) throws SQLException {
            // generated columns are computed by the target, as they are from streamed rows (pgoutput omits them)
            String columns = table.columns().stream().filter(Column::written).map(col -> quote(col.name()))
                    .collect(Collectors.joining(", "));
            String sql = "COPY (SELECT " + columns + " FROM ONLY " + quote(table.schema()) + "." + quote(table.name())
                    + ") TO STDOUT";
            int maxBytes = properties.chunk().snapshotBytes();
            ByteArrayOutputStream chunk = new ByteArrayOutputStream(maxBytes + 64 * 1024);
            int inChunk = 0;
            long total = 0;
            CopyOut out = c.unwrap(PGConnection.class).getCopyAPI().copyOut(sql);
            try {
                byte[] row;
                while ((row = out.readFromCopy()) != null) {
                    if (inChunk > 0 && chunk.size() + row.length > maxBytes) {
                        // cut before the row, so that a chunk exceeds the bound only when one row does
                        publish(table, inChunk, chunk.toByteArray());
                        total += inChunk;
                        chunk.reset();
                        inChunk = 0;
                    }
                    chunk.write(row, 0, row.length);
                    inChunk++;
                }
            } finally {
                if (out.isActive()) {
                    out.cancelCopy();
                }
            }
            if (inChunk > 0 || total == 0) {
                // an empty table is published too: its target table must be emptied as well
                publish(table, inChunk, chunk.toByteArray());
                total += inChunk;
            }
            log.info("copied {} rows of {}", total, table.qualifiedName());
            return total;
        }

        private void publish(TableSchema table, int n, byte[] data) {
            if (failed || !wanted.getAsBoolean()) {
                throw new IllegalStateException("initial snapshot abandoned (capture stopping, or another "
                        + "worker failed)");
            }
            checkSends();
            String name = table.qualifiedName();
            synchronized (this) {
                // seq numbers must reach the log in order: assigned and sent under one lock
                ChangelogRecord record = ChangelogRecord.snapshotRows(xid, seq++, micros, table, new CopyRows(n, data));
                sender.send(record).whenComplete((result, error) -> {
                    if (error != null) {
                        sendFailure.compareAndSet(null, error);
                    } else {
                        stats.snapshotCopied(name, n);
                    }
                });
            }
        }

        synchronized int nextSeq() {
            return seq++;
        }

        void checkSends() {
            Throwable failure = sendFailure.get();
            if (failure != null) {
                throw new ChangelogPublisher.KafkaUnavailableException("Kafka did not acknowledge a snapshot chunk on "
                        + sender.topic() + "; the snapshot is taken again", failure);
            }
        }
    }
}
