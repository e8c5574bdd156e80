package dev.bifrost.capture.ingest;

import dev.bifrost.capture.refine.Refiner;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.sql.SQLException;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.ApplicationArguments;
import org.springframework.boot.ApplicationRunner;
import org.springframework.boot.ExitCodeGenerator;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.stereotype.Component;

/**
 * {@code java -jar capture-service-*-exec.jar ingest --dataset registros --file PATH [--replace]}: loads one
 * file with a progress line every second, prints a summary with the first rejected rows, then refreshes the
 * star schema. Exit codes are those of {@link CommandMode}.
 */
@Component
@ConditionalOnProperty(name = "bifrost.command.name", havingValue = "ingest")
class IngestCommand implements ApplicationRunner, ExitCodeGenerator {

    private static final int REJECTS_SHOWN = 20;

    private final Loader loader;
    private final Refiner refiner;
    private final Dataset dataset;
    private final Path file;
    private final boolean replace;
    private final PrintStream out = System.out;
    private int exitCode;

    IngestCommand(Loader loader, Refiner refiner, @Value("${bifrost.command.dataset}") String dataset,
            @Value("${bifrost.command.file}") String file, @Value("${bifrost.command.replace:false}") boolean replace) {
        this.loader = loader;
        this.refiner = refiner;
        this.dataset = Dataset.of(dataset);
        this.file = Path.of(file);
        this.replace = replace;
    }

    @Override
    public void run(ApplicationArguments args) {
        Ingestion ingestion = Ingestion.start(dataset, file.getFileName().toString());
        out.printf("loading %s as %s (ingestion %s)%n", file, dataset.id(), ingestion.id());
        ScheduledExecutorService ticker = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "ingest-progress");
            t.setDaemon(true);
            return t;
        });
        ticker.scheduleAtFixedRate(() -> {
            if (ingestion.phase() == Ingestion.Phase.LOADING) {
                out.println(ingestion.progressLine());
            }
        }, 1, 1, TimeUnit.SECONDS);
        try {
            loader.load(ingestion, file, replace);
        } catch (AlreadyLoadedException e) {
            System.err.println("refused: " + e.getMessage());
            exitCode = CommandMode.EXIT_ALREADY_LOADED;
            return;
        } catch (RejectedFileException e) {
            System.err.println("rejected " + file + ": " + e.getMessage() + "; nothing was loaded");
            printRejects(ingestion);
            exitCode = CommandMode.EXIT_FAILED;
            return;
        } catch (IOException | SQLException | RuntimeException e) {
            System.err.println("failed: " + Loader.message(e) + "; nothing was loaded");
            exitCode = CommandMode.EXIT_FAILED;
            return;
        } finally {
            ticker.shutdownNow();
        }
        out.println(ingestion.progressLine());
        out.printf(Locale.ROOT, "loaded %,d rows of %s into raw.%s in %.1f s (%,.0f rows/s), rejected %,d%s%n",
                ingestion.rowsLoaded(), file.getFileName(), dataset.id(), ingestion.loadTime().toMillis() / 1000.0,
                ingestion.rowsPerSecond(), ingestion.rowsRejected(),
                ingestion.replaced() == null ? "" : "; replaced ingestion " + ingestion.replaced());
        printRejects(ingestion);
        try {
            out.println(refiner.refine().describe());
        } catch (SQLException | RuntimeException e) {
            System.err.println("the rows are loaded, but the refinement failed (run the refine command again): "
                    + e.getMessage());
            exitCode = CommandMode.EXIT_FAILED;
        }
    }

    private void printRejects(Ingestion ingestion) {
        List<Ingestion.Reject> rejects = ingestion.rejects();
        rejects.stream().limit(REJECTS_SHOWN)
                .forEach(r -> out.printf("  rejected line %d: %s%n", r.line(), r.reason()));
        if (ingestion.rowsRejected() > Math.min(rejects.size(), REJECTS_SHOWN)) {
            out.printf("  ... and %,d more rejected rows%n",
                    ingestion.rowsRejected() - Math.min(rejects.size(), REJECTS_SHOWN));
        }
    }

    @Override
    public int getExitCode() {
        return exitCode;
    }
}
