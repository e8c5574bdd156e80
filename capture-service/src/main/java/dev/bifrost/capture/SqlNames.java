package dev.bifrost.capture;

/** SQL identifiers as ThorDB must see them: always quoted, so that no name is ever read as SQL. */
public final class SqlNames {

    private SqlNames() {
    }

    /** The identifier double-quoted, its own double quotes doubled. */
    public static String quote(String identifier) {
        return "\"" + identifier.replace("\"", "\"\"") + "\"";
    }
}
