package dev.bifrost.model;

/** Topic naming shared by both sides. */
public final class Topics {

    private Topics() {
    }

    /** The changelog topic of a source: {@code <prefix>.changelog}. */
    public static String changelog(String prefix) {
        return prefix + ".changelog";
    }
}
