package dev.bifrost.capture.ingest;

import dev.bifrost.capture.refine.Refiner;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.stereotype.Service;

/**
 * Runs uploaded loads one at a time on a single background thread, each followed by a refresh of the star
 * schema, and answers where they are. Running and recent ingestions are in memory (with live progress);
 * older ones, and those run by the command, are read from {@code bifrost.ingestion}.
 */
@Service
class IngestionService implements DisposableBean {

    private static final Logger log = LoggerFactory.getLogger(IngestionService.class);
    private static final int RECENT = 200;

    private final Loader loader;
    private final Refiner refiner;
    private final DataSource dataSource;
    private final ExecutorService executor = Executors.newSingleThreadExecutor(r -> new Thread(r, "ingestion"));
    private final Map<UUID, Ingestion> recent = new LinkedHashMap<>() {
        @Override
        protected boolean removeEldestEntry(Map.Entry<UUID, Ingestion> eldest) {
            return size() > RECENT && eldest.getValue().state() != Ingestion.State.RUNNING;
        }
    };

    IngestionService(Loader loader, Refiner refiner, DataSource dataSource) {
        this.loader = loader;
        this.refiner = refiner;
        this.dataSource = dataSource;
    }

    /** Queues the load of a spooled upload; the spooled file is deleted when the load ends. */
    Ingestion submit(Dataset dataset, String fileName, Path spooled, boolean replace) {
        Ingestion ingestion = Ingestion.start(dataset, fileName);
        synchronized (recent) {
            recent.put(ingestion.id(), ingestion);
        }
        executor.execute(() -> run(ingestion, spooled, replace));
        return ingestion;
    }

    private void run(Ingestion ingestion, Path file, boolean replace) {
        try {
            log.info("ingestion {}: loading {} as {}", ingestion.id(), ingestion.fileName(), ingestion.dataset().id());
            loader.load(ingestion, file, replace);
            log.info("ingestion {}: {} rows loaded, {} rejected, in {} ms", ingestion.id(), ingestion.rowsLoaded(),
                    ingestion.rowsRejected(), ingestion.loadTime().toMillis());
        } catch (IOException | SQLException | RuntimeException e) {
            log.warn("ingestion {} failed: {}", ingestion.id(), ingestion.error());
            deleteQuietly(file);
            return;
        }
        deleteQuietly(file);
        try {
            ingestion.phase(Ingestion.Phase.REFINING);
            ingestion.refined(refiner.refine());
            ingestion.succeeded();
        } catch (SQLException | RuntimeException e) {
            ingestion.failed("the rows were loaded, but the refinement failed (retry with POST /api/refinements): "
                    + e.getMessage());
            log.warn("ingestion {}: {}", ingestion.id(), ingestion.error(), e);
        }
    }

    Optional<IngestionView> find(UUID id) throws SQLException {
        synchronized (recent) {
            Ingestion ingestion = recent.get(id);
            if (ingestion != null) {
                return Optional.of(ingestion.view());
            }
        }
        try (Connection c = dataSource.getConnection()) {
            return IngestionRecords.find(c, id);
        }
    }

    private static void deleteQuietly(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            log.warn("could not delete the spooled upload {}: {}", file, e.getMessage());
        }
    }

    @Override
    public void destroy() throws InterruptedException {
        executor.shutdown();
        if (!executor.awaitTermination(30, TimeUnit.SECONDS)) {
            log.warn("an ingestion was still running at shutdown; its transaction is rolled back");
            executor.shutdownNow();
        }
    }
}
