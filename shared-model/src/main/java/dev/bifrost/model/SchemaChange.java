package dev.bifrost.model;

import org.jspecify.annotations.Nullable;

/**
 * A change of one captured table's shape, at its position in a source transaction: the rows before it have
 * the shape {@code before}, the rows after it {@code after}. Columns are matched by {@link Column#attnum()},
 * so a renamed column is the same column; tables by {@link TableSchema#oid()}.
 *
 * @param at     the index in {@link ChangelogRecord#changes()} of the first change that has the new shape
 * @param before the table as it was; null when it was created (or moved into a captured schema)
 * @param after  the table as it is now; null when it was dropped (or moved out of the captured schemas)
 */
public record SchemaChange(int at, @Nullable TableSchema before, @Nullable TableSchema after) {

    public SchemaChange {
        if (before == null && after == null) {
            throw new IllegalArgumentException("a schema change needs a table before or after it");
        }
    }

    /** The table's name after the change, or before it for a drop. */
    public String qualifiedName() {
        return after != null ? after.qualifiedName() : before.qualifiedName();
    }
}
