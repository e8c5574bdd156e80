package dev.bifrost.apply.apply;

/** A change that no retry can apply; it goes to the dead-letter store with this message as its reason. */
class UnappliableChangeException extends RuntimeException {

    UnappliableChangeException(String message) {
        super(message);
    }
}
