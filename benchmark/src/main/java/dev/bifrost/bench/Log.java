package dev.bifrost.bench;

import java.time.LocalTime;
import java.time.format.DateTimeFormatter;

/** Progress goes to stderr, so that stdout holds only the result table. */
final class Log {

    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm:ss");

    private Log() {
    }

    static void info(String message) {
        System.err.println("[bench " + LocalTime.now().format(TIME) + "] " + message);
    }
}
