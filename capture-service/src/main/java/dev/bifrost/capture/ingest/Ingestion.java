package dev.bifrost.capture.ingest;

import dev.bifrost.capture.refine.RefinementSummary;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/**
 * One load as it runs: written by the thread that loads, read by anyone who asks (REST, the command's
 * progress line). One writer, so plain volatile fields suffice.
 */
final class Ingestion {

    /** Rejected rows kept with their line and reason; the count goes on past it. */
    static final int MAX_REJECTS = 100;

    enum State { RUNNING, SUCCEEDED, FAILED }

    enum Phase { QUEUED, CHECKING, LOADING, REFINING, DONE }

    /** A rejected row. */
    record Reject(long line, String reason) {
    }

    private final UUID id;
    private final Dataset dataset;
    private final String fileName;
    private final Instant createdAt = Instant.now();
    private final List<Reject> rejects = new ArrayList<>();

    private volatile State state = State.RUNNING;
    private volatile Phase phase = Phase.QUEUED;
    private volatile @Nullable String sha256;
    private volatile long sizeBytes;
    private volatile long bytesRead;
    private volatile long rowsLoaded;
    private volatile long rowsRejected;
    private volatile long loadStartNanos;
    private volatile long loadEndNanos;
    private volatile @Nullable UUID replaces;
    private volatile @Nullable RefinementSummary refinement;
    private volatile @Nullable String error;
    private volatile @Nullable Instant finishedAt;

    Ingestion(UUID id, Dataset dataset, String fileName) {
        this.id = id;
        this.dataset = dataset;
        this.fileName = fileName;
    }

    static Ingestion start(Dataset dataset, String fileName) {
        return new Ingestion(UUID.randomUUID(), dataset, fileName);
    }

    void checked(String sha256, long sizeBytes) {
        this.sha256 = sha256;
        this.sizeBytes = sizeBytes;
    }

    void phase(Phase phase) {
        if (phase == Phase.LOADING) {
            loadStartNanos = System.nanoTime();
        } else if (this.phase == Phase.LOADING) {
            loadEndNanos = System.nanoTime();
        }
        this.phase = phase;
    }

    void bytesRead(long bytes) {
        this.bytesRead = bytes;
    }

    void rowLoaded() {
        rowsLoaded++;
    }

    void rowRejected(long line, String reason) {
        rowsRejected++;
        synchronized (rejects) {
            if (rejects.size() < MAX_REJECTS) {
                rejects.add(new Reject(line, reason));
            }
        }
    }

    void replaces(UUID previous) {
        this.replaces = previous;
    }

    void refined(RefinementSummary summary) {
        this.refinement = summary;
    }

    void succeeded() {
        finish(State.SUCCEEDED);
    }

    void failed(String message) {
        this.error = message;
        finish(State.FAILED);
    }

    private void finish(State outcome) {
        if (phase == Phase.LOADING) {
            loadEndNanos = System.nanoTime();
        }
        phase = Phase.DONE;
        finishedAt = Instant.now();
        state = outcome;
    }

    UUID id() {
        return id;
    }

    Dataset dataset() {
        return dataset;
    }

    String fileName() {
        return fileName;
    }

    State state() {
        return state;
    }

    Phase phase() {
        return phase;
    }

    long rowsLoaded() {
        return rowsLoaded;
    }

    long rowsRejected() {
        return rowsRejected;
    }

    List<Reject> rejects() {
        synchronized (rejects) {
            return List.copyOf(rejects);
        }
    }

    @Nullable String sha256() {
        return sha256;
    }

    long sizeBytes() {
        return sizeBytes;
    }

    @Nullable UUID replaced() {
        return replaces;
    }

    @Nullable String error() {
        return error;
    }

    Instant createdAt() {
        return createdAt;
    }

    /** Time spent reading and writing rows, so far. */
    Duration loadTime() {
        long start = loadStartNanos;
        if (start == 0) {
            return Duration.ZERO;
        }
        long end = loadEndNanos != 0 ? loadEndNanos : System.nanoTime();
        return Duration.ofNanos(end - start);
    }

    /** Rows read (loaded and rejected) per second of load time. */
    double rowsPerSecond() {
        double seconds = loadTime().toNanos() / 1e9;
        return seconds <= 0 ? 0 : (rowsLoaded + rowsRejected) / seconds;
    }

    double percent() {
        long total = sizeBytes;
        return total <= 0 ? 0 : Math.min(100.0, 100.0 * bytesRead / total);
    }

    /** The line the command prints while loading. */
    String progressLine() {
        return String.format(Locale.ROOT, "%s: %,d rows loaded, %,d rejected, %,.0f rows/s, %.0f%% of %s",
                dataset.id(), rowsLoaded, rowsRejected, rowsPerSecond(), percent(), megabytes(sizeBytes));
    }

    static String megabytes(long bytes) {
        return String.format(Locale.ROOT, "%.1f MB", bytes / 1e6);
    }

    IngestionView view() {
        return new IngestionView(id, dataset.id(), fileName, sha256, state.name().toLowerCase(Locale.ROOT),
                phase.name().toLowerCase(Locale.ROOT), rowsLoaded, rowsRejected, rejects(),
                new IngestionView.Progress(bytesRead, sizeBytes, Math.round(percent() * 10) / 10.0,
                        Math.round(rowsPerSecond())),
                replaces, refinement, error, createdAt, finishedAt);
    }
}
