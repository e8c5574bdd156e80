package dev.bifrost.model;

/**
 * One column of a source table.
 *
 * @param name       column name as in the source
 * @param type       PostgreSQL type as {@code format_type()} prints it, e.g. {@code character varying(100)}
 * @param nullable   whether the source column accepts NULL
 * @param primaryKey whether the column is part of the source primary key
 */
public record Column(String name, String type, boolean nullable, boolean primaryKey) {
}
