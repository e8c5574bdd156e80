package dev.bifrost.bench;

import java.time.Duration;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.LockSupport;

/** Waiting for a condition, always with a timeout, saying what it waits for and what it last saw. */
final class Wait {

    private static final long REPORT_EVERY = Duration.ofSeconds(30).toNanos();

    /** A condition: {@code null} when it holds, otherwise a short description of what is still missing. */
    @FunctionalInterface
    interface Condition {
        String pending() throws Exception;
    }

    private Wait() {
    }

    /**
     * Checks {@code condition} every {@code interval} until it holds; returns {@link System#nanoTime()} of the
     * check that succeeded. Throws {@link TimeoutException} naming {@code what} and the last state seen.
     */
    static long until(String what, Duration timeout, Duration interval, Condition condition) throws Exception {
        Log.info("waiting for " + what + " (at most " + timeout.toSeconds() + " s)");
        long start = System.nanoTime();
        long deadline = start + timeout.toNanos();
        long nextReport = start + REPORT_EVERY;
        while (true) {
            String pending = condition.pending();
            long now = System.nanoTime();
            if (pending == null) {
                return now;
            }
            if (now - deadline >= 0) {
                throw new TimeoutException("timed out after " + timeout.toSeconds() + " s waiting for " + what
                        + "; last seen: " + pending);
            }
            if (now - nextReport >= 0) {
                Log.info("still waiting for " + what + " after " + (now - start) / 1_000_000_000L + " s: " + pending);
                nextReport += REPORT_EVERY;
            }
            LockSupport.parkNanos(interval.toNanos());
            if (Thread.interrupted()) {
                Thread.currentThread().interrupt();
                throw new InterruptedException("interrupted while waiting for " + what);
            }
        }
    }

    static double seconds(long fromNanos, long toNanos) {
        return (toNanos - fromNanos) / 1e9;
    }
}
