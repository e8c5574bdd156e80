-- The shapes of captured tables as published to the changelog, each from the commit that gave it (the initial
-- snapshot's consistent point for the tables it copied). A capture that restarts with a backlog types the
-- events it reads again with the shape their table had when they were written, not with today's catalog.
CREATE TABLE bifrost.captured_shape (
    table_oid   bigint NOT NULL,
    schema_name text NOT NULL,
    table_name  text NOT NULL,
    commit_lsn  pg_lsn NOT NULL,
    shape       jsonb,          -- null: the table was dropped (or left the captured schemas) at this commit
    PRIMARY KEY (table_oid, commit_lsn)
);
CREATE INDEX captured_shape_by_name ON bifrost.captured_shape (schema_name, table_name, commit_lsn);
