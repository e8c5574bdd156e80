package dev.bifrost.apply.apply;

import java.sql.SQLException;
import java.sql.SQLRecoverableException;
import java.sql.SQLTransientException;

/**
 * Classifies database failures. Retriable: the connection or the server is the problem (SQLState classes
 * 08 connection, 40 serialization failure or deadlock, 53 insufficient resources, 55 object not in
 * prerequisite state (a lock held by someone else), 57 operator intervention,
 * 58 system error, or no SQLState at all, as for I/O failures); the same work is tried again later.
 * Everything else (data exceptions, integrity violations, undefined objects, permissions) is permanent for
 * the change that caused it: retrying the same work cannot help, so the target stops at the last whole source
 * transaction until the cause is fixed, or, with {@code on-error: set-aside}, sets the change's table aside.
 */
public final class SqlErrors {

    private SqlErrors() {
    }

    public static boolean isRetriable(Throwable error) {
        for (Throwable t = error; t != null; t = t.getCause()) {
            if (t instanceof SQLTransientException || t instanceof SQLRecoverableException) {
                return true;
            }
            if (t instanceof SQLException sql) {
                String state = sql.getSQLState();
                if (state == null || state.length() < 2) {
                    return true;
                }
                return switch (state.substring(0, 2)) {
                    case "08", "40", "53", "55", "57", "58" -> true;
                    default -> false;
                };
            }
            if (t instanceof java.io.IOException) {
                return true;
            }
        }
        return false;
    }

    /**
     * Whether a write failed because of the table rather than the rows written to it (a missing or renamed
     * column, a privilege, an unsupported feature): writing the rows one by one would fail for each of them.
     */
    public static boolean isAboutTheTable(SQLException error) {
        String state = error.getSQLState();
        return state != null && (state.startsWith("42") || state.startsWith("0A"));
    }
}
