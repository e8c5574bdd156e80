package dev.bifrost.capture.ingest;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * Checks and cleans one data row of a file: the field count must match the header; year, month and total
 * must be integers (a month from 1 to 12, a year from 1900 to 2100, a total not negative); text and codes
 * are cleaned by {@link TextCleaner} and must fit their raw column. A row that fails is rejected with a
 * reason that names the column and the value.
 *
 * <p>Descriptive values repeat a great deal (a few thousand municipalities, a few hundred brands), so the
 * cleaned form of each is remembered per column, up to a bound.
 */
final class RowCleaner {

    private static final int CACHE_LIMIT = 50_000;
    private static final String BLANK = "";

    private final List<Dataset.Column> columns;
    private final HeaderMatcher.Header header;
    private final List<Map<String, String>> cleaned;

    RowCleaner(Dataset dataset, HeaderMatcher.Header header) {
        this.columns = dataset.columns();
        this.header = header;
        this.cleaned = columns.stream().map(c -> (Map<String, String>) new HashMap<String, String>()).toList();
    }

    /**
     * Fills {@code values} (one per dataset column, in order; {@code null} for blank) from the row's fields.
     *
     * @return {@code null} when the row is good, otherwise why it is rejected
     */
    @Nullable String clean(String[] fields, @Nullable String[] values) {
        if (fields.length != header.fieldCount()) {
            return "expected " + header.fieldCount() + " fields, found " + fields.length;
        }
        for (int c = 0; c < columns.size(); c++) {
            Dataset.Column column = columns.get(c);
            String field = fields[header.positions()[c]];
            String problem = switch (column.kind()) {
                case TEXT, CODE -> text(c, column, field, values);
                case YEAR -> integer(column, field, values, c, 1900, 2100, "is not a plausible year");
                case MONTH -> integer(column, field, values, c, 1, 12, "is not a month (1 to 12)");
                case TOTAL -> integer(column, field, values, c, 0, Integer.MAX_VALUE, "is negative");
            };
            if (problem != null) {
                return problem;
            }
        }
        return null;
    }

    private @Nullable String text(int c, Dataset.Column column, String field, @Nullable String[] values) {
        Map<String, String> known = cleaned.get(c);
        String value = known.get(field);
        if (value == null) {
            String clean = column.kind() == Dataset.Kind.TEXT ? TextCleaner.text(field) : TextCleaner.code(field);
            value = clean == null ? BLANK : clean;
            if (known.size() < CACHE_LIMIT) {
                known.put(field, value);
            }
        }
        if (value.length() > column.maxLength()) {
            return column.name() + ": '" + abbreviate(value) + "' is longer than " + column.maxLength()
                    + (column.maxLength() == 1 ? " character" : " characters");
        }
        values[c] = value.isEmpty() ? null : value;
        return null;
    }

    private static @Nullable String integer(Dataset.Column column, String field, @Nullable String[] values, int c,
            int min, int max, String outOfRange) {
        String trimmed = field.strip();
        if (trimmed.isEmpty()) {
            return column.name() + " is empty";
        }
        int value;
        try {
            value = Integer.parseInt(trimmed);
        } catch (NumberFormatException e) {
            return column.name() + ": '" + abbreviate(trimmed) + "' is not an integer";
        }
        if (value < min || value > max) {
            return column.name() + ": " + value + " " + outOfRange;
        }
        values[c] = Integer.toString(value);
        return null;
    }

    private static String abbreviate(String value) {
        return value.length() <= 60 ? value : value.substring(0, 57) + "...";
    }
}
