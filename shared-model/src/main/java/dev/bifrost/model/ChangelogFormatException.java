package dev.bifrost.model;

/** A changelog record that cannot be read: corrupt, truncated, or written by a newer format version. */
public class ChangelogFormatException extends RuntimeException {

    public ChangelogFormatException(String message) {
        super(message);
    }

    public ChangelogFormatException(String message, Throwable cause) {
        super(message, cause);
    }
}
