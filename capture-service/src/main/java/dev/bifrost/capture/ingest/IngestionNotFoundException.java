package dev.bifrost.capture.ingest;

/** No ingestion has the id asked for. */
class IngestionNotFoundException extends RuntimeException {

    IngestionNotFoundException(String id) {
        super("no ingestion with id " + id);
    }
}
