-- The initial snapshot of each replication slot, recorded once Kafka holds all of it. A slot without a
-- row here (and without Debezium offsets) has no finished snapshot: capture drops it and takes one again.
CREATE TABLE bifrost.initial_snapshot (
    slot_name      text PRIMARY KEY,
    consistent_lsn pg_lsn NOT NULL,
    tables         integer NOT NULL,
    rows_copied    bigint NOT NULL,
    started_at     timestamptz NOT NULL,
    finished_at    timestamptz NOT NULL
);
