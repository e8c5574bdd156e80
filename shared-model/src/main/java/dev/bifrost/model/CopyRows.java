package dev.bifrost.model;

import java.util.Arrays;

/**
 * Rows of one table in PostgreSQL's COPY text format, as {@code COPY ... TO STDOUT} wrote them: one line per
 * row, columns separated by tabs, in the order of the record's table columns. The initial snapshot travels
 * this way, so that neither side parses a value: the source's COPY output goes into the target's COPY input.
 *
 * @param rows how many lines {@code data} holds
 * @param data the lines, UTF-8, each ending with a newline
 */
public record CopyRows(int rows, byte[] data) {

    @Override
    public boolean equals(Object other) {
        return other instanceof CopyRows that && rows == that.rows && Arrays.equals(data, that.data);
    }

    @Override
    public int hashCode() {
        return 31 * rows + Arrays.hashCode(data);
    }

    @Override
    public String toString() {
        return "CopyRows[rows=" + rows + ", bytes=" + data.length + "]";
    }
}
