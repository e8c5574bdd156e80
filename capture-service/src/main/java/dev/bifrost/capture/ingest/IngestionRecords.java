package dev.bifrost.capture.ingest;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.sql.Types;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/** The record of loads in {@code bifrost.ingestion}: which file was loaded when, and what became of it. */
final class IngestionRecords {

    private static final String LIVE = """
            SELECT id, file_name, rows_loaded, finished_at
            FROM bifrost.ingestion
            WHERE dataset = ? AND sha256 = ? AND state = 'succeeded'""";

    private static final String MARK_REPLACED = """
            UPDATE bifrost.ingestion SET state = 'replaced' WHERE id = ?""";

    private static final String INSERT = """
            INSERT INTO bifrost.ingestion (id, dataset, file_name, sha256, size_bytes, state, rows_loaded,
                                           rows_rejected, error, replaces, started_at, finished_at)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""";

    private static final String INSERT_REJECT = """
            INSERT INTO bifrost.ingestion_reject (ingestion_id, line, reason) VALUES (?, ?, ?)
            ON CONFLICT DO NOTHING""";

    private static final String FIND = """
            SELECT dataset, file_name, sha256, size_bytes, state, rows_loaded, rows_rejected, error, replaces,
                   started_at, finished_at
            FROM bifrost.ingestion WHERE id = ?""";

    private static final String FIND_REJECTS = """
            SELECT line, reason FROM bifrost.ingestion_reject WHERE ingestion_id = ? ORDER BY line""";

    /** The live load of a file. */
    record LiveLoad(UUID id, String fileName, long rowsLoaded, Instant finishedAt) {
    }

    private IngestionRecords() {
    }

    static Optional<LiveLoad> live(Connection c, Dataset dataset, String sha256) throws SQLException {
        try (PreparedStatement s = c.prepareStatement(LIVE)) {
            s.setString(1, dataset.id());
            s.setString(2, sha256);
            try (ResultSet rs = s.executeQuery()) {
                return rs.next() ? Optional.of(new LiveLoad(rs.getObject(1, UUID.class), rs.getString(2),
                        rs.getLong(3), rs.getTimestamp(4).toInstant())) : Optional.empty();
            }
        }
    }

    static void markReplaced(Connection c, UUID id) throws SQLException {
        try (PreparedStatement s = c.prepareStatement(MARK_REPLACED)) {
            s.setObject(1, id);
            s.executeUpdate();
        }
    }

    /** Records the outcome of a load, with its first rejected rows. */
    static void insert(Connection c, Ingestion ingestion, String state) throws SQLException {
        try (PreparedStatement s = c.prepareStatement(INSERT)) {
            s.setObject(1, ingestion.id());
            s.setString(2, ingestion.dataset().id());
            s.setString(3, ingestion.fileName());
            s.setString(4, ingestion.sha256() == null ? "" : ingestion.sha256());
            s.setLong(5, ingestion.sizeBytes());
            s.setString(6, state);
            s.setLong(7, state.equals("failed") ? 0 : ingestion.rowsLoaded());
            s.setLong(8, ingestion.rowsRejected());
            s.setString(9, ingestion.error());
            if (ingestion.replaced() == null || state.equals("failed")) {
                s.setNull(10, Types.OTHER);
            } else {
                s.setObject(10, ingestion.replaced());
            }
            s.setTimestamp(11, Timestamp.from(ingestion.createdAt()));
            s.setTimestamp(12, Timestamp.from(Instant.now()));
            s.executeUpdate();
        }
        try (PreparedStatement s = c.prepareStatement(INSERT_REJECT)) {
            for (Ingestion.Reject reject : ingestion.rejects()) {
                s.setObject(1, ingestion.id());
                s.setLong(2, reject.line());
                s.setString(3, reject.reason());
                s.addBatch();
            }
            s.executeBatch();
        }
    }

    static Optional<IngestionView> find(Connection c, UUID id) throws SQLException {
        List<Ingestion.Reject> rejects = new ArrayList<>();
        try (PreparedStatement s = c.prepareStatement(FIND_REJECTS)) {
            s.setObject(1, id);
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    rejects.add(new Ingestion.Reject(rs.getLong(1), rs.getString(2)));
                }
            }
        }
        try (PreparedStatement s = c.prepareStatement(FIND)) {
            s.setObject(1, id);
            try (ResultSet rs = s.executeQuery()) {
                if (!rs.next()) {
                    return Optional.empty();
                }
                String state = rs.getString(5);
                long size = rs.getLong(4);
                return Optional.of(new IngestionView(id, rs.getString(1), rs.getString(2), rs.getString(3),
                        state.equals("failed") ? "failed" : "succeeded", state.equals("replaced") ? "replaced" : "done",
                        rs.getLong(6), rs.getLong(7), rejects, new IngestionView.Progress(size, size, 100, 0),
                        rs.getObject(9, UUID.class), null, rs.getString(8), rs.getTimestamp(10).toInstant(),
                        rs.getTimestamp(11).toInstant()));
            }
        }
    }
}
