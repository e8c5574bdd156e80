package dev.bifrost.capture.ingest;

/** A file that cannot be loaded at all (wrong encoding, missing columns, empty): nothing of it is loaded. */
class RejectedFileException extends RuntimeException {

    RejectedFileException(String message) {
        super(message);
    }
}
