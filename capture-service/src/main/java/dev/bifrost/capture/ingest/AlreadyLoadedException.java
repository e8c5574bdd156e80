package dev.bifrost.capture.ingest;

import java.util.UUID;

/** The same file (dataset and SHA-256) is already loaded, and replacing it was not asked for. */
class AlreadyLoadedException extends RuntimeException {

    private final UUID previous;

    AlreadyLoadedException(UUID previous, String message) {
        super(message);
        this.previous = previous;
    }

    UUID previous() {
        return previous;
    }
}
