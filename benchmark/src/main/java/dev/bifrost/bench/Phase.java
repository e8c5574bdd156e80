package dev.bifrost.bench;

/** The measured phases, in the order they run; the key names the phase in results.json. */
enum Phase {
    SNAPSHOT("snapshot", "seconds"),
    KEEP_UP("keep_up", "rows_per_s"),
    CATCH_UP("catch_up", "rows_per_s"),
    LATENCY("latency", "p99_ms");

    final String key;
    /** The figure whose Bifrost/native ratio is the phase's {@code ratio}. */
    final String headline;

    Phase(String key, String headline) {
        this.key = key;
        this.headline = headline;
    }
}
