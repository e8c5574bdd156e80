package dev.bifrost.capture.publish;

import dev.bifrost.model.ChangelogRecord;
import dev.bifrost.model.ChangelogRecord.Kind;
import dev.bifrost.model.ChangelogSerde;
import dev.bifrost.model.RowChange;
import dev.bifrost.model.SchemaChange;
import dev.bifrost.model.TableSchema;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.source.SourceRecord;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Groups Debezium's records by source transaction and cuts them into changelog chunks.
 *
 * <p>pgoutput delivers each transaction whole, in commit order, between the BEGIN and END records of
 * Debezium's transaction metadata; the initial snapshot arrives as one run of records whose final one is
 * marked {@code last}. A chunk is cut when it reaches the configured size, and the END (or last snapshot
 * record) closes the transaction with a final chunk that carries the commit LSN. Only a record that closes a
 * transaction, or a heartbeat outside one, is a point where Debezium's offset may be committed: after a
 * restart Debezium then resumes at the start of a transaction, never in its middle.
 */
class TransactionAssembler {

    private static final Logger log = LoggerFactory.getLogger(TransactionAssembler.class);

    /**
     * What to publish for one engine record: a chunk or not, and whether the record may be committed; a chunk
     * that closes a transaction also names the schema changes the whole transaction made.
     */
    record Outgoing(@Nullable ChangelogRecord record, boolean commitPoint, List<SchemaChange> shapes) {

        Outgoing(@Nullable ChangelogRecord record, boolean commitPoint) {
            this(record, commitPoint, List.of());
        }
    }

    /** The prefix of the event trigger's logical-decoding messages (see {@code db/ddl/ddl-capture.sql}). */
    static final String MESSAGE_PREFIX = "bifrost";

    private final RecordConverter converter;
    private final TableShapes shapes;
    private final CaptureStats stats;
    private final String transactionTopic;
    private final String heartbeatTopic;
    private final String messageTopic;
    private final int maxChanges;
    private final int maxBytes;

    private @Nullable OpenTransaction open;

    TransactionAssembler(TableShapes shapes, CaptureStats stats, String topicPrefix, int maxChanges, int maxBytes) {
        this.converter = new RecordConverter(shapes);
        this.shapes = shapes;
        this.stats = stats;
        this.transactionTopic = topicPrefix + ".transaction";
        this.heartbeatTopic = "__debezium-heartbeat." + topicPrefix;
        this.messageTopic = topicPrefix + ".message";
        this.maxChanges = maxChanges;
        this.maxBytes = maxBytes;
    }

    List<Outgoing> accept(SourceRecord record) {
        List<Outgoing> out = new ArrayList<>(1);
        if (transactionTopic.equals(record.topic())) {
            transactionMarker(record, out);
        } else if (heartbeatTopic.equals(record.topic())) {
            heartbeat(record, out);
        } else if (messageTopic.equals(record.topic())) {
            message(record, out);
        } else {
            change(record, out);
        }
        return out;
    }

    private void transactionMarker(SourceRecord record, List<Outgoing> out) {
        Struct value = (Struct) record.value();
        String status = value.getString("status");
        if ("BEGIN".equals(status)) {
            closeSnapshotIfOpen(out);
            if (open != null) {
                // nothing of it was committed: restarting the engine replays it from its start
                throw new IllegalStateException("transaction " + open.xid + " had no END before the next BEGIN; "
                        + "restarting capture from the last acknowledged transaction");
            }
            open = new OpenTransaction(Kind.TRANSACTION, xidOf(value.getString("id")));
        } else if ("END".equals(status)) {
            Map<String, ?> offset = record.sourceOffset();
            long commitLsn = longOf(offset.get("lsn_commit"), longOf(offset.get("lsn"), 0));
            if (open == null) {
                out.add(new Outgoing(null, true));
                return;
            }
            if (open.seq == 0 && open.changes.isEmpty() && open.schemaChanges.isEmpty()) {
                // nothing captured in it: only its position moves on
                out.add(new Outgoing(null, true));
            } else {
                long commitMicros = longOf(offset.get("ts_usec"), open.commitMicros);
                out.add(new Outgoing(open.chunk(true, commitLsn, commitMicros), true, List.copyOf(open.shapes)));
            }
            open = null;
        }
    }

    private void heartbeat(SourceRecord record, List<Outgoing> out) {
        if (open != null) {
            // Debezium also emits heartbeats at COMMIT, before the END record: not a commit point
            return;
        }
        Map<String, ?> offset = record.sourceOffset();
        long lsn = longOf(offset.get("lsn_commit"), longOf(offset.get("lsn"), 0));
        long micros = ((Struct) record.value()).getInt64("ts_ms") * 1000L;
        out.add(new Outgoing(ChangelogRecord.heartbeat(lsn, micros), true));
    }

    /**
     * A logical-decoding message: the event trigger's are schema changes, placed in their transaction at their
     * position; any other application's are skipped and counted.
     */
    private void message(SourceRecord record, List<Outgoing> out) {
        Struct value = (Struct) record.value();
        Struct message = value == null ? null : value.getStruct("message");
        String prefix = message == null ? null : message.getString("prefix");
        if (!MESSAGE_PREFIX.equals(prefix)) {
            stats.skippedMessage();
            return;
        }
        Struct source = value.getStruct("source");
        if (source.get("txId") == null || open == null) {
            // the event trigger's messages are transactional: this one was written by something else
            log.warn("a logical-decoding message with Bifrost's prefix outside a transaction at {}: not from the "
                    + "DDL event trigger; skipped", source.get("lsn"));
            stats.skippedMessage();
            return;
        }
        long lsn = longOf(source.get("lsn"), Long.MAX_VALUE);
        OpenTransaction tx = open;
        String content = new String(message.getBytes("content"), StandardCharsets.UTF_8);
        SchemaChange change;
        try {
            change = shapes.message(content, tx.changes.size(), lsn);
        } catch (IllegalArgumentException | tools.jackson.core.JacksonException e) {
            // not the event trigger's either (which EXECUTE on pg_logical_emit_message is meant to ensure)
            log.error("an unreadable logical-decoding message with Bifrost's prefix in transaction {}: {}; skipped",
                    tx.xid, e.getMessage());
            stats.skippedMessage();
            return;
        }
        if (change != null) {
            log.info("schema change of {} in transaction {}: {}", change.qualifiedName(), tx.xid,
                    change.before() == null ? "created" : change.after() == null ? "dropped" : "altered");
            tx.schemaChanges.add(change);
            tx.shapes.add(change);
        }
    }

    private void change(SourceRecord record, List<Outgoing> out) {
        RecordConverter.Converted converted = converter.convert(record);
        if (converted == null) {
            return;
        }
        Struct source = ((Struct) record.value()).getStruct("source");
        String snapshot = source.getString("snapshot");
        boolean snapshotRecord = snapshot != null && !"false".equals(snapshot) && !"incremental".equals(snapshot);
        long xid = source.getInt64("txId") == null ? 0 : source.getInt64("txId");
        if (snapshotRecord) {
            if (open == null) {
                open = new OpenTransaction(Kind.SNAPSHOT, xid);
            }
        } else {
            closeSnapshotIfOpen(out);
            if (open == null) {
                log.warn("change without BEGIN in transaction {}; publishing it as its own transaction", xid);
                open = new OpenTransaction(Kind.TRANSACTION, xid);
            }
        }
        OpenTransaction tx = open;
        if (tx.changes.size() >= maxChanges || tx.bytes >= maxBytes) {
            // cut only when more follows, so that the closing chunk is never empty
            out.add(new Outgoing(tx.chunk(false, 0, tx.commitMicros), false));
        }
        tx.commitMicros = commitMicros(source);
        tx.lastLsn = longOf(source.get("lsn"), tx.lastLsn);
        tx.add(converted);
        if (snapshotRecord && "last".equals(snapshot)) {
            out.add(new Outgoing(tx.chunk(true, tx.lastLsn, tx.commitMicros), true));
            open = null;
        }
    }

    private void closeSnapshotIfOpen(List<Outgoing> out) {
        if (open != null && open.kind == Kind.SNAPSHOT) {
            log.warn("snapshot ended without a record marked last; closing it at the first streamed change");
            out.add(new Outgoing(open.chunk(true, open.lastLsn, open.commitMicros), false));
            open = null;
        }
    }

    private static long commitMicros(Struct source) {
        Object micros = source.schema().field("ts_us") == null ? null : source.get("ts_us");
        return micros != null ? ((Number) micros).longValue() : source.getInt64("ts_ms") * 1000L;
    }

    private static long xidOf(String transactionId) {
        int colon = transactionId.indexOf(':');
        return Long.parseLong(colon < 0 ? transactionId : transactionId.substring(0, colon));
    }

    private static long longOf(@Nullable Object value, long otherwise) {
        return value instanceof Number n ? n.longValue() : otherwise;
    }

    /** The transaction being assembled and its current, not yet published, chunk. */
    private static final class OpenTransaction {

        final Kind kind;
        final long xid;
        int seq;
        long commitMicros;
        long lastLsn;
        final List<TableSchema> tables = new ArrayList<>();
        final Map<TableSchema, Integer> tableIndexes = new IdentityHashMap<>();
        final List<RowChange> changes = new ArrayList<>();
        /** The schema changes of the current chunk. */
        final List<SchemaChange> schemaChanges = new ArrayList<>();
        /** Every schema change of the transaction, for the shape history once it is acknowledged. */
        final List<SchemaChange> shapes = new ArrayList<>();
        long bytes;

        OpenTransaction(Kind kind, long xid) {
            this.kind = kind;
            this.xid = xid;
        }

        void add(RecordConverter.Converted converted) {
            Integer index = tableIndexes.get(converted.table());
            if (index == null) {
                index = tables.size();
                tables.add(converted.table());
                tableIndexes.put(converted.table(), index);
            }
            RowChange c = converted.change();
            changes.add(new RowChange(index, c.op(), c.key(), c.row(), c.unchanged()));
            bytes += 16 + size(c.key()) + size(c.row());
        }

        private static long size(@Nullable String @Nullable [] values) {
            if (values == null) {
                return 0;
            }
            long n = 0;
            for (String v : values) {
                n += v == null ? 5 : v.length() + 3;
            }
            return n;
        }

        ChangelogRecord chunk(boolean last, long commitLsn, long micros) {
            ChangelogRecord record = new ChangelogRecord(ChangelogSerde.VERSION, kind, xid, seq++, last, commitLsn,
                    micros, tables, changes, null, schemaChanges);
            tables.clear();
            tableIndexes.clear();
            changes.clear();
            schemaChanges.clear();
            bytes = 0;
            return record;
        }
    }
}
