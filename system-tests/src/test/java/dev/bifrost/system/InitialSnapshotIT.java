package dev.bifrost.system;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The initial snapshot (slot created with an exported snapshot, tables copied with COPY, streaming from the
 * consistent point), end to end: values of every awkward kind survive COPY to COPY; transactions committed
 * while the snapshot runs are neither lost nor doubled; a capture killed in the middle of the snapshot drops
 * its unfinished slot and takes the snapshot again; a target table that held other rows ends up holding
 * exactly the source's, an empty one included; a row larger than a chunk travels alone.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class InitialSnapshotIT {

    private static final Duration CONVERGE = Duration.ofMinutes(4);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int ROWS = 60_000;

    private BifrostStack stack;

    @BeforeAll
    void startStack() throws Exception {
        // small chunks: the snapshot takes long enough to be interrupted
        stack = new BifrostStack(Map.of("BIFROST_CAPTURE_CHUNK_SNAPSHOTBYTES", "4096"));
        try (Connection c = stack.source(); Statement s = c.createStatement()) {
            s.execute("CREATE SCHEMA raw");
            s.execute("""
                    CREATE TABLE raw.snap (id int PRIMARY KEY, label text, amount numeric(14,4), at timestamptz,
                        day date, tags text[], doc jsonb, bin bytea, uid uuid, flag boolean, ratio float8,
                        span interval, "Odd Name" varchar(40))""");
            s.execute("""
                    INSERT INTO raw.snap
                    SELECT g,
                        CASE WHEN g % 11 = 0 THEN NULL ELSE E'tab\\there, newline\\nthere, back\\\\slash ' || g END,
                        g * 1.2345, timestamptz '2024-02-29 23:59:59.999999+00' - g * interval '1 minute',
                        date '0044-03-15' + g, ARRAY['a\tb', NULL, E'c\\\\d', '{}'],
                        jsonb_build_object('g', g, 's', E'quote " and \\n'), decode(md5(g::text), 'hex'),
                        md5(g::text)::uuid, g % 3 = 0, g / 7.0, g * interval '1 second', 'Zoë ' || g
                    FROM generate_series(1, ROWS) g""".replace("ROWS", Integer.toString(ROWS)));
            s.execute("CREATE TABLE raw.empty_one (id bigint PRIMARY KEY, v text)");
            // one row larger than a snapshot chunk (4096 bytes here): it travels alone
            s.execute("UPDATE raw.snap SET label = repeat('big row ', 2000) WHERE id = 7");
        }
        // a target that already holds rows the source does not have, and different values for some it has
        try (Connection c = stack.target("mjolnirdb"); Statement s = c.createStatement()) {
            s.execute("CREATE SCHEMA raw");
            s.execute("""
                    CREATE TABLE raw.snap (id int PRIMARY KEY, label text, amount numeric(14,4), at timestamptz,
                        day date, tags text[], doc jsonb, bin bytea, uid uuid, flag boolean, ratio float8,
                        span interval, "Odd Name" varchar(40), replicated_at timestamptz)""");
            s.execute("INSERT INTO raw.snap (id, label) SELECT g, 'stale' FROM generate_series(-100, 100) g");
            // a table that is empty on the source must end up empty here too
            s.execute("CREATE TABLE raw.empty_one (id bigint PRIMARY KEY, v text, replicated_at timestamptz)");
            s.execute("INSERT INTO raw.empty_one (id, v) SELECT g, 'stale' FROM generate_series(1, 10) g");
        }
    }

    @AfterAll
    void stopStack() throws Exception {
        if (stack != null) {
            stack.close();
        }
    }

    @Test
    void snapshotUnderConcurrentWritesAndACaptureKilledMidwayConverges() throws Exception {
        AtomicBoolean writing = new AtomicBoolean(true);
        AtomicLong committed = new AtomicLong();
        ExecutorService writer = Executors.newSingleThreadExecutor();
        Future<?> writes = writer.submit(() -> {
            try (Connection c = stack.source()) {
                c.setAutoCommit(false);
                int i = 0;
                while (writing.get()) {
                    i++;
                    try (Statement s = c.createStatement()) {
                        s.execute("INSERT INTO raw.snap (id, label) VALUES (" + (ROWS + i) + ", 'during " + i + "')");
                        s.execute("UPDATE raw.snap SET amount = amount + 1, label = 'moved ' || " + i
                                + " WHERE id = " + (1 + (i * 37) % ROWS));
                        s.execute("DELETE FROM raw.snap WHERE id = " + (1 + (i * 53) % ROWS));
                    }
                    c.commit();
                    committed.incrementAndGet();
                }
            }
            return null;
        });
        writer.shutdown();

        stack.apply.start();
        stack.capture.start();
        await("the capture copying raw.snap").atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofMillis(50)).ignoreExceptions()
                .until(() -> snapshotRowsPublished() > 0);
        stack.capture.kill();
        assertThat(committed.get()).as("source transactions committed around the snapshot").isPositive();

        stack.capture.start();
        stack.capture.awaitHealthy();
        stack.apply.awaitHealthy();
        long before = committed.get();
        await("writes after the restarted snapshot").atMost(Duration.ofMinutes(2)).until(() -> committed.get() > before + 50);
        writing.set(false);
        writes.get();

        stack.awaitTargetsEqualSource(CONVERGE);
        assertThat(stack.capture.log())
                .contains("exists without a finished initial snapshot; dropping it to take the snapshot again")
                .containsPattern("initial snapshot of \\d+ tables, \\d+ rows, in Kafka");
        try (Connection c = stack.source(); Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT count(*) FROM bifrost.initial_snapshot WHERE slot_name = 'bifrost'")) {
            rs.next();
            assertThat(rs.getInt(1)).as("the finished snapshot is on record").isEqualTo(1);
        }
        for (String target : BifrostStack.TARGETS) {
            try (Connection c = stack.target(target); Statement s = c.createStatement();
                    ResultSet rs = s.executeQuery("SELECT count(*) FROM raw.snap WHERE replicated_at IS NULL")) {
                rs.next();
                assertThat(rs.getInt(1)).as(target + ": rows without their source time").isZero();
            }
        }
    }

    /** Snapshot rows Kafka acknowledged, from the capture's status. */
    private long snapshotRowsPublished() throws JsonProcessingException {
        ServiceProcess.Response status = stack.capture.get("/api/status");
        if (status.status() != 200) {
            return 0;
        }
        for (JsonNode table : JSON.readTree(status.body()).path("snapshot")) {
            if (table.path("table").asText().equals("raw.snap")) {
                return table.path("rowsDone").asLong();
            }
        }
        return 0;
    }
}
