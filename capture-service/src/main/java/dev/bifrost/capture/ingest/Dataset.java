package dev.bifrost.capture.ingest;

import static dev.bifrost.capture.SqlNames.quote;


import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * The three SINARM datasets: the columns of each published file, how each is cleaned, and the raw table it
 * loads into. Columns are matched by header name (see {@link HeaderMatcher}), in any order.
 */
enum Dataset {

    OCORRENCIAS(List.of(
            Column.integer("ano_ocorrencia", Kind.YEAR),
            Column.integer("mes_ocorrencia", Kind.MONTH),
            Column.code("uf", 2),
            Column.text("municipio", 100),
            Column.text("especie_arma", 100),
            Column.text("marca_arma", 100),
            Column.text("calibre_arma", 50),
            Column.text("tipo_ocorrencia", 255),
            Column.code("mais_1000_mil_hab", 1),
            Column.integer("total", Kind.TOTAL))),

    PORTES(List.of(
            Column.integer("ano_emissao", Kind.YEAR),
            new Column("mes_missao", Kind.MONTH, 0, List.of("MES_MISSAO", "MES_EMISSAO")),
            Column.code("uf", 2),
            Column.text("municipio", 100),
            Column.text("tipo", 50),
            Column.text("status", 50),
            Column.text("abrangencia", 50),
            Column.text("especie_arma", 100),
            Column.text("marca_arma", 100),
            Column.text("calibre_arma", 50),
            Column.code("sexo", 1),
            Column.integer("total", Kind.TOTAL))),

    REGISTROS(List.of(
            Column.integer("ano_emissao", Kind.YEAR),
            new Column("mes_missao", Kind.MONTH, 0, List.of("MES_MISSAO", "MES_EMISSAO")),
            Column.code("uf", 2),
            Column.text("municipio", 100),
            Column.text("status_registro", 50),
            Column.text("especie_arma", 50),
            Column.text("marca_arma", 100),
            Column.text("calibre_arma", 50),
            Column.text("sexo", 1),
            Column.text("categoria", 244),
            Column.integer("total", Kind.TOTAL)));

    /** How a column's value is checked and cleaned. */
    enum Kind {
        /** Descriptive text: transliterated to ASCII, spaces trimmed and collapsed, title-cased; blank is NULL. */
        TEXT,
        /** A code (UF, S/N, M/F): transliterated, trimmed, upper-cased; blank is NULL. */
        CODE,
        YEAR,
        MONTH,
        TOTAL
    }

    /**
     * One column of a published file.
     *
     * @param name      the raw table's column
     * @param kind      how it is checked and cleaned
     * @param maxLength the raw column's length (text and codes), longer values reject the row
     * @param headers   accepted header names, folded (upper case, no accents, {@code _} between words)
     */
    record Column(String name, Kind kind, int maxLength, List<String> headers) {

        static Column text(String name, int maxLength) {
            return new Column(name, Kind.TEXT, maxLength, List.of(name.toUpperCase(Locale.ROOT)));
        }

        static Column code(String name, int maxLength) {
            return new Column(name, Kind.CODE, maxLength, List.of(name.toUpperCase(Locale.ROOT)));
        }

        static Column integer(String name, Kind kind) {
            return new Column(name, kind, 0, List.of(name.toUpperCase(Locale.ROOT)));
        }
    }

    private final List<Column> columns;

    Dataset(List<Column> columns) {
        this.columns = columns;
    }

    /** The name users type and the raw table's name. */
    String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    List<Column> columns() {
        return columns;
    }

    /** The COPY into this dataset's raw table: every file column, then the load's id. */
    String copySql() {
        return "COPY " + quote("raw") + "." + quote(id()) + " ("
                + columns.stream().map(c -> quote(c.name())).collect(Collectors.joining(", "))
                + ", " + quote("load_id") + ") FROM STDIN (FORMAT text)";
    }

    /** Deletes the rows of one load, to replace it. */
    String deleteLoadSql() {
        return "DELETE FROM " + quote("raw") + "." + quote(id()) + " WHERE " + quote("load_id") + " = ?";
    }

    static Dataset of(String name) {
        String wanted = name.trim().toLowerCase(Locale.ROOT);
        return Arrays.stream(values()).filter(d -> d.id().equals(wanted)).findFirst()
                .orElseThrow(() -> new UnknownDatasetException(name));
    }

    static String names() {
        return Arrays.stream(values()).map(Dataset::id).collect(Collectors.joining(", "));
    }
}
