package dev.bifrost.capture.ingest;

import java.io.BufferedReader;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;
import javax.sql.DataSource;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;
import org.postgresql.PGConnection;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * Loads one SINARM file into its raw table.
 *
 * <p>Two passes. The first ({@link FileCheck}) hashes the file and checks its encoding without writing
 * anything. The second streams it through the CSV parser into one {@code COPY}, inside one transaction that
 * also records the load in {@code bifrost.ingestion}: a file rejected halfway (malformed CSV, no good row)
 * rolls back whole, and the replicas see the load as one source transaction or not at all.
 *
 * <p>A load is identified by dataset and SHA-256. Loading a file that is already loaded is refused, or, when
 * asked, replaces the earlier load's rows in that same transaction. Loads take a transaction-scoped advisory
 * lock, so two loads (the command and the service, say) never decide about the same file at once.
 */
@Component
class Loader {

    private static final Logger log = LoggerFactory.getLogger(Loader.class);

    private static final String LOCK = "SELECT pg_advisory_xact_lock(hashtext('bifrost.ingest'))";

    static final CSVFormat FORMAT = CSVFormat.DEFAULT.builder()
            .setDelimiter(';')
            .setQuote('"')
            .setIgnoreEmptyLines(true)
            .get();

    private final DataSource dataSource;

    Loader(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    /**
     * Loads the file; on return the rows are committed. On failure nothing is loaded, the failure is
     * recorded, and the exception says why: {@link RejectedFileException}, {@link AlreadyLoadedException},
     * or a database or I/O error.
     */
    void load(Ingestion ingestion, Path file, boolean replace) throws IOException, SQLException {
        try {
            ingestion.phase(Ingestion.Phase.CHECKING);
            FileCheck.FileFacts facts = FileCheck.inspect(file);
            ingestion.checked(facts.sha256(), facts.sizeBytes());
            loadChecked(ingestion, file, replace);
        } catch (IOException | SQLException | RuntimeException e) {
            recordFailure(ingestion, e);
            throw e;
        }
    }

    private void loadChecked(Ingestion ingestion, Path file, boolean replace) throws IOException, SQLException {
        Dataset dataset = ingestion.dataset();
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            try {
                try (Statement s = c.createStatement()) {
                    s.execute(LOCK);
                }
                Optional<IngestionRecords.LiveLoad> previous = IngestionRecords.live(c, dataset,
                        String.valueOf(ingestion.sha256()));
                if (previous.isPresent()) {
                    IngestionRecords.LiveLoad live = previous.get();
                    if (!replace) {
                        throw new AlreadyLoadedException(live.id(), "this " + dataset.id() + " file (sha256 "
                                + ingestion.sha256() + ") is already loaded: ingestion " + live.id() + " of "
                                + live.fileName() + " at " + live.finishedAt() + ", " + live.rowsLoaded()
                                + " rows; load it again with replace (--replace) to replace those rows");
                    }
                    IngestionRecords.markReplaced(c, live.id());
                    try (PreparedStatement s = c.prepareStatement(dataset.deleteLoadSql())) {
                        s.setObject(1, live.id());
                        int deleted = s.executeUpdate();
                        log.info("replacing ingestion {}: deleted its {} rows", live.id(), deleted);
                    }
                    ingestion.replaces(live.id());
                }
                ingestion.phase(Ingestion.Phase.LOADING);
                copy(c, ingestion, file);
                if (ingestion.rowsLoaded() == 0) {
                    throw new RejectedFileException("no row of the file could be loaded (" + ingestion.rowsRejected()
                            + " rejected" + (ingestion.rowsRejected() == 0 ? ": the file has a header only)" : ")"));
                }
                IngestionRecords.insert(c, ingestion, "succeeded");
                c.commit();
            } catch (IOException | SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            }
        }
    }

    private void copy(Connection c, Ingestion ingestion, Path file) throws IOException, SQLException {
        Dataset dataset = ingestion.dataset();
        try (InputStream in = new CountingStream(Files.newInputStream(file), ingestion);
                BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.ISO_8859_1),
                        1 << 16);
                CSVParser parser = FORMAT.parse(reader)) {
            Iterator<CSVRecord> records = parser.iterator();
            List<String> names = List.of();
            while (names.stream().allMatch(String::isBlank)) {
                if (!hasNext(records, parser)) {
                    throw new RejectedFileException("the file holds no header row (it is blank)");
                }
                names = records.next().toList();
            }
            HeaderMatcher.Header header = HeaderMatcher.match(dataset, names);
            if (!header.ignored().isEmpty()) {
                log.warn("{}: ignoring columns that are not part of the dataset: {}", ingestion.fileName(),
                        header.ignored());
            }
            RowCleaner cleaner = new RowCleaner(dataset, header);
            CopyStream out = new CopyStream(c.unwrap(PGConnection.class).getCopyAPI().copyIn(dataset.copySql()),
                    ingestion.id().toString());
            String[] values = new String[dataset.columns().size()];
            try {
                while (hasNext(records, parser)) {
                    CSVRecord record = records.next();
                    String reason = cleaner.clean(record.values(), values);
                    if (reason == null) {
                        out.row(values);
                        ingestion.rowLoaded();
                    } else {
                        ingestion.rowRejected(parser.getCurrentLineNumber(), reason);
                    }
                }
                out.finish();
            } catch (SQLException | RuntimeException e) {
                out.cancel();
                throw e;
            }
        }
    }

    /** Commons CSV reports malformed input (an unclosed quote) as an unchecked I/O error: reject the file. */
    private static boolean hasNext(Iterator<CSVRecord> records, CSVParser parser) {
        try {
            return records.hasNext();
        } catch (UncheckedIOException e) {
            throw new RejectedFileException("malformed CSV after line " + parser.getCurrentLineNumber() + ": "
                    + e.getCause().getMessage());
        }
    }

    private void recordFailure(Ingestion ingestion, Exception e) {
        ingestion.failed(message(e));
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(true);
            IngestionRecords.insert(c, ingestion, "failed");
        } catch (SQLException | RuntimeException recordFailed) {
            e.addSuppressed(recordFailed);
            log.warn("could not record the failed ingestion {}: {}", ingestion.id(), recordFailed.getMessage());
        }
    }

    /** The message a user sees for a failed load. */
    static String message(Exception e) {
        if (e instanceof RejectedFileException || e instanceof AlreadyLoadedException) {
            return String.valueOf(e.getMessage());
        }
        return e.getClass().getSimpleName() + ": " + e.getMessage();
    }

    /** Counts bytes as the parser consumes them, for the progress. */
    private static final class CountingStream extends FilterInputStream {

        private final Ingestion ingestion;
        private long count;

        CountingStream(InputStream in, Ingestion ingestion) {
            super(in);
            this.ingestion = ingestion;
        }

        @Override
        public int read() throws IOException {
            int b = super.read();
            if (b >= 0) {
                ingestion.bytesRead(++count);
            }
            return b;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            int n = super.read(b, off, len);
            if (n > 0) {
                count += n;
                ingestion.bytesRead(count);
            }
            return n;
        }
    }
}
