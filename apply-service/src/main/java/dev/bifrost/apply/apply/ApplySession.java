package dev.bifrost.apply.apply;

import dev.bifrost.apply.deadletter.DeadLetterStore;
import dev.bifrost.apply.deadletter.DeadLetterStore.DeadLetter;
import dev.bifrost.apply.deadletter.SetAsideTables;
import dev.bifrost.apply.schema.ShapeChanges;
import dev.bifrost.apply.schema.TargetTables;
import dev.bifrost.model.ChangelogFormatException;
import dev.bifrost.model.ChangelogRecord;
import dev.bifrost.model.ChangelogSerde;
import dev.bifrost.model.CopyRows;
import dev.bifrost.model.RowChange;
import dev.bifrost.model.SchemaChange;
import dev.bifrost.model.TableSchema;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Savepoint;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Applies changelog records to one target over one connection, in target transactions that each hold
 * whole source transactions.
 *
 * <p>Records are fed in log order. The chunks of a source transaction are held until its last chunk
 * arrives (a very large one is written in pieces under a savepoint instead); then the transaction is either
 * discarded, if its commit LSN is not above the last one applied (a capture restart published it again), or
 * coalesced into the pending batch. {@link #commit()}, called at a transaction boundary, writes the batch
 * and stores the log position reached and the last commit LSN in {@code bifrost.apply_position}, in the same
 * target transaction: the target's state and its position never disagree, so a restart that seeks to the
 * stored position applies every transaction exactly once in effect.
 *
 * <p>In careful mode (after a batch failed for a reason retrying cannot fix) every source transaction is
 * written on its own under a savepoint, and if that fails, change by change, sending the changes that fail
 * to the dead-letter store. Not thread-safe.
 */
public final class ApplySession {

    private static final Logger log = LoggerFactory.getLogger(ApplySession.class);

    private static final String POSITION_DDL = """
            CREATE TABLE IF NOT EXISTS bifrost.apply_position (
                topic            text NOT NULL,
                partition        int NOT NULL,
                next_offset      bigint NOT NULL,
                last_commit_lsn  bigint NOT NULL,
                last_commit_time timestamptz,
                updated_at       timestamptz NOT NULL DEFAULT now(),
                PRIMARY KEY (topic, partition)
            )""";

    /** Held for the life of the connection: one applier per target, topic and partition. */
    private static final String LOCK = "SELECT pg_try_advisory_lock(hashtext(?), ?)";

    private static final String LOAD_POSITION = """
            SELECT next_offset, last_commit_lsn, last_commit_time FROM bifrost.apply_position
            WHERE topic = ? AND partition = ?""";

    private static final String SAVE_POSITION = """
            INSERT INTO bifrost.apply_position (topic, partition, next_offset, last_commit_lsn, last_commit_time, updated_at)
            VALUES (?, ?, ?, ?, to_timestamp(? / 1e6), now())
            ON CONFLICT (topic, partition) DO UPDATE SET next_offset = EXCLUDED.next_offset,
                last_commit_lsn = EXCLUDED.last_commit_lsn, last_commit_time = EXCLUDED.last_commit_time,
                updated_at = now()""";

    /** The stored position: the next log offset to read (-1 if none yet) and the last applied commit LSN. */
    public record Position(long nextOffset, long lastCommitLsn) {
    }

    private final Connection c;
    private final String topic;
    private final int partition;
    private final int spillChanges;
    private final TargetTables tables;
    private final TableWriter writer;
    private final ShapeChanges shapes;
    private final DeadLetterStore deadLetters = new DeadLetterStore();
    private final SetAsideTables setAside;
    private final ChangelogSerde serde = new ChangelogSerde();
    private final ChangeBuffer batch = new ChangeBuffer();
    private final TransactionSpan batched = new TransactionSpan();
    private final ApplyStats stats;

    private @Nullable OpenTransaction open;
    private long boundaryOffset = -1;
    private long lastCommitLsn;
    private long lastCommitMicros;
    private boolean dirty;
    private boolean careful;
    private boolean setAsideFailingTables;
    private long recordTimestamp;
    private long boundaryTimestamp;

    public ApplySession(Connection c, String topic, int partition, int spillChanges, ApplyStats stats) {
        this(c, topic, partition, spillChanges, stats, TargetTables.REPLICATED_AT);
    }

    /**
     * @param stampColumn the column of each target table that holds the source commit time of the row's last
     *                    change (left out of tables whose source has a column of that name)
     */
    public ApplySession(Connection c, String topic, int partition, int spillChanges, ApplyStats stats,
            String stampColumn) {
        this.tables = new TargetTables(stampColumn);
        this.setAside = new SetAsideTables(topic, partition);
        this.writer = new TableWriter(tables);
        this.shapes = new ShapeChanges(tables);
        this.c = c;
        this.topic = topic;
        this.partition = partition;
        this.spillChanges = spillChanges;
        this.stats = stats;
    }

    /** Creates Bifrost's tables in the target if needed and reads the stored position. */
    public Position open() throws SQLException {
        c.setAutoCommit(false);
        try (var s = c.createStatement()) {
            // safe: the position commits with the data, so a target crash loses both together
            s.execute("SET synchronous_commit = off");
            s.execute("CREATE SCHEMA IF NOT EXISTS bifrost");
            s.execute(POSITION_DDL);
        }
        deadLetters.createTable(c);
        setAside.open(c);
        c.commit();
        try (var ps = c.prepareStatement(LOCK)) {
            ps.setString(1, topic);
            ps.setInt(2, partition);
            try (var rs = ps.executeQuery()) {
                rs.next();
                if (!rs.getBoolean(1)) {
                    throw new SQLException("another apply-service instance is applying " + topic + "-" + partition
                            + " to this target; only one may, or positions would go backwards", "55P03");
                }
            }
        }
        try (var ps = c.prepareStatement(LOAD_POSITION)) {
            ps.setString(1, topic);
            ps.setInt(2, partition);
            try (var rs = ps.executeQuery()) {
                if (rs.next()) {
                    boundaryOffset = rs.getLong(1);
                    lastCommitLsn = rs.getLong(2);
                    var time = rs.getTimestamp(3);
                    lastCommitMicros = time == null ? 0 : time.getTime() * 1000L;
                }
            }
        }
        c.commit();
        return new Position(boundaryOffset, lastCommitLsn);
    }

    public void careful(boolean careful) {
        this.careful = careful;
    }

    /**
     * Whether a table one of whose changes goes to the dead-letter store is set aside with it, so that its later
     * changes follow it there, in order ({@code on-error: set-aside}); see {@link SetAsideTables}.
     */
    public void setAsideFailingTables(boolean setAside) {
        this.setAsideFailingTables = setAside;
    }

    /** Feeds the record at {@code offset}. */
    public void accept(long offset, long timestamp, byte[] value) throws SQLException {
        this.recordTimestamp = timestamp;
        ChangelogRecord record;
        try {
            record = serde.deserialize(value);
        } catch (ChangelogFormatException e) {
            log.error("unreadable changelog record at {}-{}@{}: {}; sent to the dead-letter store", topic, partition,
                    offset, e.getMessage());
            DeadLetter letter = new DeadLetter(topic, partition, offset, 0, null, null, e.getMessage(), value);
            OpenTransaction tx = open;
            if (tx == null) {
                deadLetters.write(c, letter);
                stats.deadLetter();
                advance(offset);
            } else {
                // the transaction it belongs to is incomplete now: it will go to the dead-letter store whole
                tx.poison.add(letter);
                tx.nextSeq++;
            }
            dirty = true;
            return;
        }
        if (record.kind() == ChangelogRecord.Kind.HEARTBEAT) {
            if (open == null) {
                advance(offset);
            }
            return;
        }
        if (record.kind() == ChangelogRecord.Kind.SCHEMA) {
            if (open == null) {
                record.tables().forEach(batch::touch);
                advance(offset);
            }
            return;
        }
        OpenTransaction tx = open;
        if (record.seq() == 0) {
            if (tx != null) {
                log.warn("transaction {} starts again at offset {} before it ended (the capture side restarted); "
                        + "its earlier chunks are dropped", tx.xid, offset);
                abandon(tx);
            }
            tx = new OpenTransaction(record.xid());
            open = tx;
        } else if (tx == null || tx.xid != record.xid() || tx.nextSeq != record.seq()) {
            log.warn("chunk {} of transaction {} at offset {} does not continue an open transaction; sent to the "
                    + "dead-letter store", record.seq(), record.xid(), offset);
            if (tx != null && tx.xid != record.xid()) {
                abandon(tx);
            }
            if (open == null) {
                // its start was unreadable (or lost): what remains cannot be applied as a whole transaction
                deadLetters.write(c, new DeadLetter(topic, partition, offset, record.xid(), null, null,
                        "chunk " + record.seq() + " of transaction " + record.xid()
                                + " whose earlier chunks were unreadable; not applied", value));
                stats.deadLetter();
                advance(offset);
            }
            return;
        }
        tx.nextSeq++;
        if (record.copy() != null && tx.failure == null) {
            copy(tx, record, offset, value);
        }
        if (tx.failure == null) {
            try {
                int from = 0;
                for (SchemaChange shape : record.schemaChanges()) {
                    addChanges(tx, record, offset, from, shape.at());
                    from = shape.at();
                    // the rows before it are written in the old shape, under the transaction's savepoint
                    spill(tx);
                    try {
                        shapes.apply(c, shape);
                    } catch (SQLException e) {
                        throw new SQLException("schema change of " + shape.qualifiedName() + " in transaction "
                                + record.xid() + ": " + e.getMessage(), e.getSQLState(), e);
                    }
                }
                addChanges(tx, record, offset, from, record.changes().size());
                if (tx.changes.size() >= spillChanges) {
                    spill(tx);
                }
            } catch (SQLException e) {
                if (SqlErrors.isRetriable(e) || tx.savepoint == null) {
                    throw e;
                }
                // written before the transaction's last chunk says whether it was applied already (a capture
                // restart publishes it again): undone now, and the failure kept for then
                c.rollback(tx.savepoint);
                tables.forget();
                setAside.open(c);
                tx.changes.clear();
                tx.failure = e;
            }
        }
        if (record.last()) {
            finish(tx, record, offset);
        }
    }

    private static void addChanges(OpenTransaction tx, ChangelogRecord record, long offset, int from, int to) {
        for (RowChange change : record.changes().subList(from, to)) {
            tx.changes.add(new Change(record.tables().get(change.table()), change, record.commitTimeMicros(),
                    record.xid(), offset));
        }
    }

    private void finish(OpenTransaction tx, ChangelogRecord record, long offset) throws SQLException {
        open = null;
        if (!tx.poison.isEmpty()) {
            long unreadable = tx.poison.get(0).offset();
            abandon(tx);
            for (Change change : tx.changes) {
                deadLetter(change, "transaction " + tx.xid + " not applied: one of its chunks was unreadable (offset "
                        + unreadable + ")");
            }
            lastCommitLsn = Math.max(lastCommitLsn, record.commitLsn());
            advance(offset);
            return;
        }
        if (record.commitLsn() <= lastCommitLsn) {
            log.debug("transaction {} (commit LSN {}) was applied already; discarded", tx.xid, record.commitLsn());
            abandon(tx);
            stats.duplicate();
            advance(offset);
            return;
        }
        if (tx.failure != null) {
            throw tx.failure;
        }
        if (tx.savepoint != null || careful) {
            TransactionSpan alone = new TransactionSpan();
            alone.add(tx.xid, record.commitLsn(), offset);
            try {
                write(tx.changes);
                for (TableSchema table : tx.timestamped.values()) {
                    writer.endSnapshot(c, table);
                }
            } catch (SQLException e) {
                throw alone.about(e);
            }
            if (tx.savepoint != null) {
                c.releaseSavepoint(tx.savepoint);
            }
        } else {
            for (Change change : tx.changes) {
                addTo(batch, change);
            }
            batched.add(tx.xid, record.commitLsn(), offset);
        }
        stats.transaction(tx.changes, record.commitTimeMicros());
        lastCommitLsn = record.commitLsn();
        lastCommitMicros = record.commitTimeMicros();
        advance(offset);
    }

    /**
     * Loads a snapshot chunk's COPY rows right away, under the snapshot's savepoint (a duplicate snapshot
     * rolls back to it): the first chunk of each table empties the table, since the snapshot is all of it,
     * and the snapshot's last record ends it. In careful mode, a chunk that COPY cannot load whole is split
     * (see {@link #copyCarefully}), so that only the rows that fail go to the dead-letter store.
     */
    private void copy(OpenTransaction tx, ChangelogRecord record, long offset, byte[] value) throws SQLException {
        if (tx.savepoint == null) {
            flushBatch();
            tx.savepoint = c.setSavepoint();
        }
        TableSchema table = record.tables().get(0);
        CopyRows rows = Objects.requireNonNull(record.copy());
        String name = table.qualifiedName();
        String setAsideReason = setAside.reason(name);
        if (setAsideReason != null) {
            deadLetters.write(c, new DeadLetter(topic, partition, offset, record.xid(), name, "SNAPSHOT",
                    "table set aside: " + setAsideReason, value));
            stats.deadLetter();
            return;
        }
        Savepoint chunk = careful ? c.setSavepoint() : null;
        boolean first = !tx.emptied.containsKey(name);
        boolean timestamp = rows.data().length > 0 && !tx.timestamped.containsKey(name);
        try {
            tables.ensure(c, table);
            writer.beginSnapshot(c, table, first, timestamp, record.commitTimeMicros());
            int setAside = 0;
            if (chunk == null) {
                writer.copy(c, table, rows.data(), 0, rows.data().length);
            } else {
                setAside = copyCarefully(table, record, offset, rows);
                c.releaseSavepoint(chunk);
            }
            if (first) {
                tx.emptied.put(name, table);
            }
            if (timestamp) {
                tx.timestamped.put(name, table);
            }
            stats.copied(name, rows.rows() - setAside);
        } catch (SQLException e) {
            if (chunk == null || SqlErrors.isRetriable(e)) {
                throw e;
            }
            c.rollback(chunk);
            tables.forget();
            log.error("snapshot rows of {} at {}-{}@{} cannot be loaded: {}; the chunk ({} rows) goes to the "
                    + "dead-letter store", table.qualifiedName(), topic, partition, offset, e.getMessage(), rows.rows());
            String reason = e.getMessage() == null ? "unknown" : e.getMessage();
            deadLetters.write(c, new DeadLetter(topic, partition, offset, record.xid(), table.qualifiedName(),
                    "SNAPSHOT", reason, value));
            stats.deadLetter();
            if (setAsideFailingTables) {
                setAside.add(c, name, offset, reason);
            }
        }
    }

    /**
     * Loads a snapshot chunk in careful mode: by COPY under a savepoint, and if that fails for its data,
     * each half again, down to the single rows that fail, which go to the dead-letter store. A failure of
     * the table itself (a missing column, a privilege) fails the whole chunk. Returns the rows set aside.
     */
    private int copyCarefully(TableSchema table, ChangelogRecord record, long offset, CopyRows rows)
            throws SQLException {
        int[] starts;
        try {
            starts = rows.lineStarts();
        } catch (ChangelogFormatException e) {
            throw new SQLException("snapshot rows that are not COPY text: " + e.getMessage(), "22P04", e);
        }
        return copyLines(table, record, offset, rows.data(), starts, 0, rows.rows());
    }

    private int copyLines(TableSchema table, ChangelogRecord record, long offset, byte[] data, int[] starts,
            int from, int to) throws SQLException {
        Savepoint lines = c.setSavepoint();
        try {
            writer.copy(c, table, data, starts[from], starts[to]);
            c.releaseSavepoint(lines);
            return 0;
        } catch (SQLException e) {
            if (SqlErrors.isRetriable(e) || SqlErrors.isAboutTheTable(e)) {
                throw e;
            }
            c.rollback(lines);
            if (to - from > 1) {
                if (from == 0 && to == starts.length - 1) {
                    log.warn("snapshot rows of {} at {}-{}@{} cannot be loaded as a whole ({}); looking for the "
                            + "rows that fail among its {}", table.qualifiedName(), topic, partition, offset,
                            e.getMessage(), to);
                }
                int middle = (from + to) >>> 1;
                return copyLines(table, record, offset, data, starts, from, middle)
                        + copyLines(table, record, offset, data, starts, middle, to);
            }
            deadLetterLine(table, record, offset, Arrays.copyOfRange(data, starts[from], starts[to]),
                    e.getMessage());
            return 1;
        }
    }

    /** One snapshot row that cannot be loaded, kept as an insert of its values (or as its bytes, if unreadable). */
    private void deadLetterLine(TableSchema table, ChangelogRecord record, long offset, byte[] line,
            @Nullable String reason) throws SQLException {
        String[] row;
        try {
            row = new CopyRows(1, line).values(table.columns().size()).get(0);
        } catch (ChangelogFormatException e) {
            log.error("snapshot row of {} at {}-{}@{} cannot be loaded: {}; sent to the dead-letter store as it came",
                    table.qualifiedName(), topic, partition, offset, reason);
            deadLetters.write(c, new DeadLetter(topic, partition, offset, record.xid(), table.qualifiedName(),
                    "SNAPSHOT", (reason == null ? "unknown" : reason) + "; " + e.getMessage(), line));
            stats.deadLetter();
            return;
        }
        deadLetter(new Change(table, RowChange.insert(0, row), record.commitTimeMicros(), record.xid(), offset),
                reason);
    }

    /** Writes a large transaction's changes so far, under a savepoint that a duplicate can roll back to. */
    private void spill(OpenTransaction tx) throws SQLException {
        if (tx.savepoint == null) {
            flushBatch();
            tx.savepoint = c.setSavepoint();
        }
        write(tx.changes);
        stats.transaction(tx.changes, 0);
        tx.changes.clear();
    }

    private void abandon(OpenTransaction tx) throws SQLException {
        if (tx.savepoint != null) {
            c.rollback(tx.savepoint);
            tables.forget();
            // a table set aside under the savepoint is no longer
            setAside.open(c);
            if (!tx.poison.isEmpty()) {
                deadLetters.write(c, new DeadLetter(topic, partition, tx.poison.get(0).offset(), tx.xid, null, null,
                        "transaction " + tx.xid + " not applied: the changes written before its unreadable chunk "
                                + "were rolled back", null));
            }
        }
        // the records that could not be read stay on record, whatever happens to their transaction
        for (DeadLetter letter : tx.poison) {
            deadLetters.write(c, letter);
            stats.deadLetter();
        }
        tx.poison.clear();
        if (open == tx) {
            open = null;
        }
    }

    private void advance(long offset) {
        boundaryOffset = offset + 1;
        boundaryTimestamp = recordTimestamp;
        dirty = true;
    }

    /** Whether no source transaction is half-read, so that {@link #commit()} may be called. */
    public boolean atBoundary() {
        return open == null;
    }

    /** Whether there is anything to commit. */
    public boolean hasWork() {
        return dirty;
    }

    public int pendingChanges() {
        return batch.size();
    }

    /** Writes the pending batch and the position reached, and commits. Only at a transaction boundary. */
    public void commit() throws SQLException {
        if (open != null) {
            throw new IllegalStateException("commit inside source transaction " + open.xid);
        }
        long started = System.nanoTime();
        flushBatch();
        try (var ps = c.prepareStatement(SAVE_POSITION)) {
            ps.setString(1, topic);
            ps.setInt(2, partition);
            ps.setLong(3, boundaryOffset);
            ps.setLong(4, lastCommitLsn);
            ps.setLong(5, lastCommitMicros);
            ps.executeUpdate();
        }
        c.commit();
        dirty = false;
        stats.committed(boundaryOffset, boundaryTimestamp, lastCommitMicros, System.nanoTime() - started);
    }

    /** The next offset to read after what was committed or is pending at the last boundary. */
    public long boundaryOffset() {
        return boundaryOffset;
    }

    private void flushBatch() throws SQLException {
        if (!batch.isEmpty()) {
            try {
                writer.write(c, batch);
            } catch (SQLException e) {
                throw batched.about(e);
            }
            batch.clear();
        }
        batched.clear();
    }

    private void write(List<Change> changes) throws SQLException {
        if (!careful) {
            ChangeBuffer buffer = new ChangeBuffer();
            for (Change change : changes) {
                addTo(buffer, change);
            }
            writer.write(c, buffer);
            return;
        }
        Savepoint whole = c.setSavepoint();
        try {
            ChangeBuffer buffer = new ChangeBuffer();
            for (Change change : changes) {
                addTo(buffer, change);
            }
            writer.write(c, buffer);
            c.releaseSavepoint(whole);
            return;
        } catch (SQLException e) {
            if (SqlErrors.isRetriable(e)) {
                throw e;
            }
            c.rollback(whole);
            tables.forget();
            setAside.open(c);
        }
        for (Change change : changes) {
            Savepoint one = c.setSavepoint();
            try {
                ChangeBuffer buffer = new ChangeBuffer();
                addTo(buffer, change);
                writer.write(c, buffer);
                c.releaseSavepoint(one);
            } catch (SQLException e) {
                if (SqlErrors.isRetriable(e)) {
                    throw e;
                }
                c.rollback(one);
                tables.forget();
                deadLetter(change, e.getMessage());
            }
        }
    }

    private void addTo(ChangeBuffer buffer, Change change) throws SQLException {
        String setAsideReason = setAside.reason(change.table().qualifiedName());
        if (setAsideReason != null) {
            deadLetter(change, "table set aside: " + setAsideReason);
            return;
        }
        try {
            buffer.add(change.table(), change.change(), change.commitMicros());
        } catch (UnappliableChangeException e) {
            deadLetter(change, e.getMessage());
        }
    }

    private void deadLetter(Change change, @Nullable String reason) throws SQLException {
        log.error("change to {} at {}-{}@{} cannot be applied: {}; sent to the dead-letter store",
                change.table().qualifiedName(), topic, partition, change.offset(), reason);
        ChangelogRecord alone = new ChangelogRecord(ChangelogSerde.VERSION, ChangelogRecord.Kind.TRANSACTION,
                change.xid(), 0, true, 0, change.commitMicros(), List.of(change.table()),
                List.of(new RowChange(0, change.change().op(), change.change().key(), change.change().row(),
                        change.change().unchanged())));
        deadLetters.write(c, new DeadLetter(topic, partition, change.offset(), change.xid(),
                change.table().qualifiedName(), change.change().op().name(), reason == null ? "unknown" : reason,
                serde.serialize(alone)));
        stats.deadLetter();
        if (setAsideFailingTables && setAside.reason(change.table().qualifiedName()) == null) {
            log.error("table {} is set aside on this target from {}-{}@{} on: its changes go to the dead-letter "
                    + "store, in order, until it is repaired and its row in bifrost.set_aside deleted",
                    change.table().qualifiedName(), topic, partition, change.offset());
            setAside.add(c, change.table().qualifiedName(), change.offset(), reason == null ? "unknown" : reason);
        }
    }

    /** A source transaction whose last chunk has not arrived yet. */
    private static final class OpenTransaction {
        final long xid;
        int nextSeq;
        final List<Change> changes = new ArrayList<>();
        final List<DeadLetter> poison = new ArrayList<>();
        /** Tables a snapshot emptied already, by name. */
        final Map<String, TableSchema> emptied = new HashMap<>();
        /** Tables whose {@code replicated_at} defaults to the snapshot time until the snapshot ends, by name. */
        final Map<String, TableSchema> timestamped = new HashMap<>();
        @Nullable Savepoint savepoint;
        /** A permanent failure while writing it before its last chunk: thrown then, unless it is a duplicate. */
        @Nullable SQLException failure;

        OpenTransaction(long xid) {
            this.xid = xid;
        }
    }
}
