package dev.bifrost.capture.ingest;

import java.nio.charset.StandardCharsets;
import java.sql.SQLException;
import org.jspecify.annotations.Nullable;
import org.postgresql.copy.CopyIn;

/**
 * Rows into one running {@code COPY ... FROM STDIN (FORMAT text)}, sent in chunks of about half a megabyte.
 * Values are escaped as the text format wants them (backslash, tab, newline, carriage return), NULL is
 * {@code \N}.
 */
final class CopyStream {

    private static final int CHUNK = 512 * 1024;

    private final CopyIn copy;
    private final String suffix;
    private final StringBuilder buffer = new StringBuilder(CHUNK + 4096);

    /** @param trailer the value of the last column, the same on every row (the load's id) */
    CopyStream(CopyIn copy, String trailer) {
        this.copy = copy;
        this.suffix = "\t" + escape(trailer) + "\n";
    }

    void row(@Nullable String[] values) throws SQLException {
        for (int i = 0; i < values.length; i++) {
            if (i > 0) {
                buffer.append('\t');
            }
            String value = values[i];
            if (value == null) {
                buffer.append("\\N");
            } else {
                appendEscaped(buffer, value);
            }
        }
        buffer.append(suffix);
        if (buffer.length() >= CHUNK) {
            flush();
        }
    }

    /** Sends what is left and ends the COPY; returns the rows PostgreSQL wrote. */
    long finish() throws SQLException {
        flush();
        return copy.endCopy();
    }

    /** Abandons the COPY (the transaction is rolled back after it). */
    void cancel() {
        try {
            if (copy.isActive()) {
                copy.cancelCopy();
            }
        } catch (SQLException ignored) {
            // the connection is rolled back or closed next; the original failure is what matters
        }
    }

    private void flush() throws SQLException {
        if (buffer.isEmpty()) {
            return;
        }
        byte[] bytes = buffer.toString().getBytes(StandardCharsets.UTF_8);
        copy.writeToCopy(bytes, 0, bytes.length);
        buffer.setLength(0);
    }

    static String escape(String value) {
        StringBuilder out = new StringBuilder(value.length());
        appendEscaped(out, value);
        return out.toString();
    }

    private static void appendEscaped(StringBuilder out, String value) {
        for (int i = 0; i < value.length(); i++) {
            char ch = value.charAt(i);
            switch (ch) {
                case '\\' -> out.append("\\\\");
                case '\t' -> out.append("\\t");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                default -> out.append(ch);
            }
        }
    }
}
