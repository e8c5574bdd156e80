/**
 * The refined star schema (the successor of the old dbt project): dimensions with ids that never change and
 * facts kept equal to the raw tables by incremental upserts and deletes in one transaction, so the refresh
 * replicates as ordinary row changes. Runs after every load and on demand ({@code refine} command,
 * {@code POST /api/refinements}).
 */
@NullMarked
package dev.bifrost.capture.refine;

import org.jspecify.annotations.NullMarked;
