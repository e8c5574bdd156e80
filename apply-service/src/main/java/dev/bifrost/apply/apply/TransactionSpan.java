package dev.bifrost.apply.apply;

import java.sql.SQLException;

/**
 * The source transactions a pending target write holds, to say which one a failure is about: the target stops
 * right before it, and its status names it (a batch of one transaction names exactly the one that failed).
 */
final class TransactionSpan {

    private int count;
    private long firstXid;
    private long firstLsn;
    private long lastLsn;
    private long firstOffset = -1;
    private long lastOffset = -1;

    void add(long xid, long commitLsn, long offset) {
        if (count++ == 0) {
            firstXid = xid;
            firstLsn = commitLsn;
            firstOffset = offset;
        }
        lastLsn = commitLsn;
        lastOffset = offset;
    }

    void clear() {
        count = 0;
    }

    /** The failure, its message prefixed with the source transactions it happened in; retriable ones as they are. */
    SQLException about(SQLException e) {
        if (count == 0 || SqlErrors.isRetriable(e)) {
            return e;
        }
        String where = count == 1
                ? "source transaction " + firstXid + " (commit LSN " + lsn(firstLsn) + ", changelog offset "
                        + firstOffset + ")"
                : count + " source transactions (commit LSN " + lsn(firstLsn) + " to " + lsn(lastLsn)
                        + ", changelog offsets " + firstOffset + " to " + lastOffset + ")";
        return new SQLException(where + ": " + e.getMessage(), e.getSQLState(), e);
    }

    static String lsn(long lsn) {
        return String.format("%X/%X", lsn >>> 32, lsn & 0xFFFFFFFFL);
    }
}
