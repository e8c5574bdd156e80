package dev.bifrost.capture.ingest;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Finds a dataset's columns in a file's header row by name, in any order. Names are compared folded:
 * accents, quotes and case do not matter, and any run of other characters (spaces, hyphens) counts as one
 * {@code _}, so {@code "MUNICÍPIO"}, {@code municipio} and {@code Município} are the same column.
 */
final class HeaderMatcher {

    /**
     * Where each column of the dataset is in the file.
     *
     * @param positions  field index of each dataset column, in {@link Dataset#columns()} order
     * @param fieldCount fields in the header, and so in every row
     * @param ignored    header names that are not columns of the dataset
     */
    record Header(int[] positions, int fieldCount, List<String> ignored) {
    }

    private HeaderMatcher() {
    }

    static String fold(String name) {
        String plain = TextCleaner.ascii(name).replace("\"", "").replace("'", "").toUpperCase(Locale.ROOT);
        return plain.replaceAll("[^A-Z0-9]+", "_").replaceAll("^_+|_+$", "");
    }

    static Header match(Dataset dataset, List<String> header) {
        List<String> folded = header.stream().map(HeaderMatcher::fold).toList();
        List<Dataset.Column> columns = dataset.columns();
        int[] positions = new int[columns.size()];
        List<String> missing = new ArrayList<>();
        boolean[] used = new boolean[header.size()];
        for (int c = 0; c < columns.size(); c++) {
            Dataset.Column column = columns.get(c);
            positions[c] = -1;
            for (int i = 0; i < folded.size(); i++) {
                if (column.headers().contains(folded.get(i))) {
                    if (positions[c] >= 0) {
                        throw new RejectedFileException("the header names column " + column.headers().get(0)
                                + " twice (fields " + (positions[c] + 1) + " and " + (i + 1) + ")");
                    }
                    positions[c] = i;
                    used[i] = true;
                }
            }
            if (positions[c] < 0) {
                missing.add(String.join(" or ", column.headers()));
            }
        }
        if (!missing.isEmpty()) {
            throw new RejectedFileException("not a " + dataset.id() + " file: the header lacks required column"
                    + (missing.size() > 1 ? "s " : " ") + String.join(", ", missing) + " (header: "
                    + String.join(";", header) + ")");
        }
        List<String> ignored = new ArrayList<>();
        for (int i = 0; i < header.size(); i++) {
            if (!used[i]) {
                ignored.add(header.get(i));
            }
        }
        return new Header(positions, header.size(), List.copyOf(ignored));
    }
}
