package dev.bifrost.model;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * Rows of one table in PostgreSQL's COPY text format, as {@code COPY ... TO STDOUT} wrote them: one line per
 * row, columns separated by tabs, in the order of the record's table columns. The initial snapshot travels
 * this way, so that neither side parses a value: the source's COPY output goes into the target's COPY input.
 * Only a row the target rejects is decoded ({@link #values}), to be set aside with its values.
 *
 * @param rows how many lines {@code data} holds
 * @param data the lines, UTF-8, each ending with a newline
 */
public record CopyRows(int rows, byte[] data) {

    /**
     * Where each line starts in {@code data}, followed by {@code data.length}: {@code rows + 1} offsets, so
     * that lines {@code [from, to)} are the bytes {@code [starts[from], starts[to])}. A raw newline byte
     * always ends a line: COPY escapes the newlines inside values.
     *
     * @throws ChangelogFormatException if the data does not hold {@link #rows} complete lines
     */
    public int[] lineStarts() {
        int[] starts = new int[rows + 1];
        int lines = 0;
        for (int i = 0; i < data.length; i++) {
            if (data[i] == '\n') {
                if (lines == rows) {
                    throw new ChangelogFormatException("COPY rows hold more lines than the " + rows
                            + " the header declares");
                }
                starts[++lines] = i + 1;
            }
        }
        if (lines != rows || starts[rows] != data.length) {
            throw new ChangelogFormatException("COPY rows hold " + lines + " complete lines where the header "
                    + "declares " + rows);
        }
        return starts;
    }

    /**
     * The rows as PostgreSQL text values, {@code null} for NULL, decoded from COPY's text format (for writing
     * them one by one when COPY cannot load them).
     *
     * @param columns how many values each line must hold
     * @throws ChangelogFormatException if the data does not hold {@link #rows} lines of {@code columns} values
     */
    public List<@Nullable String[]> values(int columns) {
        List<@Nullable String[]> lines = new ArrayList<>(rows);
        List<@Nullable String> line = new ArrayList<>(columns);
        ByteArrayOutputStream value = new ByteArrayOutputStream();
        boolean isNull = false;
        for (int i = 0; i < data.length; i++) {
            byte b = data[i];
            if (b == '\t' || b == '\n') {
                line.add(isNull ? null : value.toString(StandardCharsets.UTF_8));
                value.reset();
                isNull = false;
                if (b == '\n') {
                    if (line.size() != columns) {
                        throw new ChangelogFormatException("COPY line " + (lines.size() + 1) + " holds "
                                + line.size() + " values where the table has " + columns + " columns");
                    }
                    lines.add(line.toArray(new String[0]));
                    line.clear();
                }
            } else if (b == '\\' && i + 1 < data.length) {
                if (data[i + 1] == 'N' && value.size() == 0 && endsValue(data, i + 2)) {
                    // \N alone is NULL; anywhere else it is the letter N, as PostgreSQL reads it
                    isNull = true;
                    i++;
                } else {
                    i = unescape(data, i + 1, value);
                }
            } else {
                value.write(b);
            }
        }
        if (lines.size() != rows || !line.isEmpty() || value.size() > 0) {
            throw new ChangelogFormatException("COPY rows hold " + lines.size() + " complete lines where the "
                    + "header declares " + rows);
        }
        return lines;
    }

    private static boolean endsValue(byte[] data, int at) {
        return at == data.length || data[at] == '\t' || data[at] == '\n';
    }

    /** Decodes the escape whose letter is at {@code at} into {@code out}; returns the index of its last byte. */
    private static int unescape(byte[] data, int at, ByteArrayOutputStream out) {
        byte c = data[at];
        switch (c) {
            case 'b' -> out.write('\b');
            case 'f' -> out.write('\f');
            case 'n' -> out.write('\n');
            case 'r' -> out.write('\r');
            case 't' -> out.write('\t');
            case 'v' -> out.write(0x0b);
            case 'x' -> {
                int end = at;
                int v = 0;
                while (end + 1 < data.length && end - at < 2 && Character.digit(data[end + 1], 16) >= 0) {
                    v = v * 16 + Character.digit(data[++end], 16);
                }
                if (end == at) {
                    out.write('x');
                } else {
                    out.write(v);
                }
                return end;
            }
            default -> {
                if (c >= '0' && c <= '7') {
                    int end = at;
                    int v = c - '0';
                    while (end + 1 < data.length && end - at < 2 && data[end + 1] >= '0' && data[end + 1] <= '7') {
                        v = v * 8 + data[++end] - '0';
                    }
                    out.write(v);
                    return end;
                }
                out.write(c);
            }
        }
        return at;
    }

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
