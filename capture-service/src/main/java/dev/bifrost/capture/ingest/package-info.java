/**
 * Loading the SINARM open-data files into ThorDB's {@code raw} tables: reading the published CSV (ISO-8859-1,
 * {@code ;}-separated, one header row), checking and cleaning every row, and writing them with one streaming
 * {@code COPY} per load, in one transaction. Entry points: the {@code ingest} command and
 * {@code POST /api/ingestions}.
 */
@NullMarked
package dev.bifrost.capture.ingest;

import org.jspecify.annotations.NullMarked;
