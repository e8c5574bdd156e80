package dev.bifrost.capture.ingest;

/** A dataset name that is not one of the SINARM datasets. */
class UnknownDatasetException extends IllegalArgumentException {

    UnknownDatasetException(String name) {
        super("unknown dataset '" + name + "': expected one of " + Dataset.names());
    }
}
