package dev.bifrost.apply.apply;

import dev.bifrost.model.RowChange;
import dev.bifrost.model.TableSchema;

/**
 * A row change with what it needs to be applied alone: its table, the source commit time, and where in the
 * log it came from (for dead letters).
 */
record Change(TableSchema table, RowChange change, long commitMicros, long xid, long offset) {
}
