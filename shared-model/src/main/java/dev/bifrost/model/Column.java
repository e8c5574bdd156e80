package dev.bifrost.model;

import org.jspecify.annotations.Nullable;

/**
 * One column of a source table, as replicated.
 *
 * @param name       column name as in the source
 * @param type       the type targets give the column, as {@code format_type()} prints it, e.g.
 *                   {@code character varying(100)}: the source's type, except that an enum or composite
 *                   becomes {@code text} and a domain its base type (the text of every value is unchanged)
 * @param nullable   whether the source column accepts NULL
 * @param primaryKey whether the column is part of the table's replication key: the primary key, or the
 *                   columns of the replica identity index when the table has one
 * @param attnum     the column's number on the source ({@code pg_attribute.attnum}), which a rename keeps;
 *                   0 when unknown
 * @param generated  the expression of a stored generated column, computed on the target too (pgoutput does not
 *                   send such columns); null for ordinary columns
 * @param missing    the value that rows existing when the column was added read (PostgreSQL's "fast default",
 *                   {@code attmissingval}), in text form; null if none
 */
public record Column(String name, String type, boolean nullable, boolean primaryKey, int attnum,
        @Nullable String generated, @Nullable String missing) {

    public Column(String name, String type, boolean nullable, boolean primaryKey) {
        this(name, type, nullable, primaryKey, 0, null, null);
    }

    /** Whether rows carry a value for this column (generated columns are computed where they are stored). */
    public boolean written() {
        return generated == null;
    }
}
