package dev.bifrost.capture.ingest;

import dev.bifrost.capture.refine.RefinementSummary;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/**
 * An ingestion as {@code GET /api/ingestions/{id}} shows it.
 *
 * @param state        {@code running}, {@code succeeded} or {@code failed}
 * @param phase        {@code queued}, {@code checking} (encoding and checksum), {@code loading},
 *                     {@code refining}, {@code done}
 * @param rowsLoaded   rows written (committed once the state is {@code succeeded})
 * @param rowsRejected rows skipped as bad
 * @param rejects      the first {@value Ingestion#MAX_REJECTS} rejected rows with line number and reason
 * @param progress     bytes read of the file's size, and rows per second
 * @param replaces     the earlier load of the same file whose rows this one replaced
 * @param refinement   what the refresh of the star schema after the load changed
 * @param error        why the ingestion failed
 */
record IngestionView(
        UUID id,
        String dataset,
        String fileName,
        @Nullable String sha256,
        String state,
        String phase,
        long rowsLoaded,
        long rowsRejected,
        List<Ingestion.Reject> rejects,
        Progress progress,
        @Nullable UUID replaces,
        @Nullable RefinementSummary refinement,
        @Nullable String error,
        Instant startedAt,
        @Nullable Instant finishedAt) {

    /** Bytes read of the file's size, and the load's pace. */
    record Progress(long bytesRead, long bytesTotal, double percent, double rowsPerSecond) {
    }
}
