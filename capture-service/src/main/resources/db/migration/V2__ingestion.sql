-- Loads of the SINARM open-data files (see dev.bifrost.capture.ingest). A load is identified by its dataset
-- and the SHA-256 of the file: at most one live ('succeeded') load per identity, so loading the same file
-- twice is refused, or replaces the earlier load's rows when asked to. Failed attempts are kept for the
-- record; they never leave rows behind (a load is one transaction).

CREATE TABLE bifrost.ingestion (
    id            uuid PRIMARY KEY,
    dataset       text NOT NULL CHECK (dataset IN ('ocorrencias', 'portes', 'registros')),
    file_name     text NOT NULL,
    sha256        text NOT NULL,
    size_bytes    bigint NOT NULL,
    state         text NOT NULL CHECK (state IN ('succeeded', 'failed', 'replaced')),
    rows_loaded   bigint NOT NULL DEFAULT 0,
    rows_rejected bigint NOT NULL DEFAULT 0,
    error         text,
    replaces      uuid REFERENCES bifrost.ingestion (id),
    started_at    timestamptz NOT NULL,
    finished_at   timestamptz NOT NULL
);

CREATE UNIQUE INDEX ingestion_live_load ON bifrost.ingestion (dataset, sha256) WHERE state = 'succeeded';

-- The first rejected rows of a load (capped by the loader), with the line number and the reason.
CREATE TABLE bifrost.ingestion_reject (
    ingestion_id uuid NOT NULL REFERENCES bifrost.ingestion (id),
    line         bigint NOT NULL,
    reason       text NOT NULL,
    PRIMARY KEY (ingestion_id, line)
);

-- Which load wrote a raw row (bifrost.ingestion.id; NULL for rows written by other means), so that a
-- reload can replace exactly that load's rows. No foreign key: the raw tables replicate, the bifrost
-- schema does not, and a million-row COPY should not pay a million key checks.
ALTER TABLE raw.ocorrencias ADD COLUMN load_id uuid;
ALTER TABLE raw.portes ADD COLUMN load_id uuid;
ALTER TABLE raw.registros ADD COLUMN load_id uuid;

CREATE INDEX ocorrencias_load_id ON raw.ocorrencias (load_id);
CREATE INDEX portes_load_id ON raw.portes (load_id);
CREATE INDEX registros_load_id ON raw.registros (load_id);
