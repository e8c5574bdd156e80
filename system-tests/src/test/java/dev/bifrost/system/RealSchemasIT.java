package dev.bifrost.system;

import static dev.bifrost.system.BifrostStack.exec;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.bifrost.testsupport.PostgresServer;
import dev.bifrost.testsupport.TableChecksum;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * A real database, end to end: schema changes in the stream while rows stream (also across a capture restart
 * with a backlog), every built-in type through the initial snapshot and the stream, tables without a key,
 * PostgreSQL's own pgbench, other applications' logical-decoding messages, and target tables that existed
 * before Bifrost. Every check compares both targets with the source by content, columns included.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class RealSchemasIT {

    private static final Duration CONVERGE = Duration.ofMinutes(4);
    private static final ObjectMapper JSON = new ObjectMapper();

    /** Every built-in type, an enum, a domain, a composite and a generated column. */
    private static final String TYPES_TABLE = """
            CREATE TABLE raw.every_type (
                id int PRIMARY KEY,
                i2 smallint, i4 integer, i8 bigint, f4 real, f8 double precision, n numeric, n2 numeric(10,3),
                m money, b boolean, c char(5), vc varchar(10), t text, by bytea, bit5 bit(5), bit1 bit(1),
                vb varbit(12), d date, tm time, ts timestamp, ts3 timestamp(3), tstz timestamptz, iv interval,
                u uuid, j json, jb jsonb, x xml, ip inet, ci cidr, mac macaddr, mac8 macaddr8, tv tsvector,
                tq tsquery, pt point, ln line, ls lseg, bx box, pa path, pg polygon, cr circle, r4 int4range,
                rts tstzrange, mr int4multirange, lsn pg_lsn, ai int[], atx text[], a2 int[][], ats timestamptz[],
                anum numeric[], apt point[], aiv interval[], e raw.mood, ea raw.mood[], dm raw.posint,
                cp raw.pair, g bigint GENERATED ALWAYS AS (i4::bigint * 2) STORED)""";

    private static final String TYPE_ROWS = """
            INSERT INTO raw.every_type (id, i2, i4, i8, f4, f8, n, n2, m, b, c, vc, t, by, bit5, bit1, vb, d, tm,
                ts, ts3, tstz, iv, u, j, jb, x, ip, ci, mac, mac8, tv, tq, pt, ln, ls, bx, pa, pg, cr, r4, rts, mr,
                lsn, ai, atx, a2, ats, anum, apt, aiv, e, ea, dm, cp)
            VALUES
            (ID + 1, -32768, -2147483648, -9223372036854775808, 'NaN', '-Infinity', 'NaN', -1234567.891, -12.34,
             false, 'ab', 'Zoë ☃', E'tab\\tnew\\nline \\\\ "q" ''s''', '\\x00ff10', B'00101', B'0', B'000101',
             '4713-01-01 BC', '24:00:00', '-infinity', '1999-12-31 23:59:59.999', 'infinity',
             '-1 year 2 mons -3 days 04:05:06.789', 'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11', '{"b": 1,  "a": [1, 2]}',
             '{"b": 1, "a": [1.50, null]}', '<a x="1">é</a>', '192.168.0.1/24', '10.0.0.0/8', '08:00:2b:01:02:03',
             '08:00:2b:01:02:03:04:05', 'a fat cat:2 sat', 'fat & (rat | cat)', '(1.5,-2)', '{1,-1,0}',
             '[(0,0),(1,1)]', '(1,1),(0,0)', '[(0,0),(1,1),(2,0)]', '((0,0),(1,1),(1,0))', '<(1,2),3>', '[1,10)',
             '[2024-01-01 00:00+00,infinity)', '{[1,3), [5,7)}', '16/B374D848', '{1,NULL,3}',
             ARRAY['a,b', 'c"d', NULL, '', 'NULL', E'e\\\\f'], '{{1,2},{3,NULL}}',
             '{2024-01-01 10:00+00,infinity}', '{NaN,1.50,-0.001}', '{"(1,2)","(3,4)"}', '{"1 day","-2 hours"}',
             'happy', '{sad,happy}', 7, '(1,"x, \\"y\\"")'),
            (ID + 2, 32767, 2147483647, 9223372036854775807, 'Infinity', 1e308, 1e-20, 0, 0, true, NULL, '',
             repeat('€', 300000), '\\x', B'11111', B'1', B'', '294276-12-31', '00:00:00', '294276-12-31 23:59:59.999999',
             '0001-01-01 00:00:00', '-infinity', '0', '00000000-0000-0000-0000-000000000000', 'null', '[]',
             '<empty/>', '::1', '2001:db8::/32', 'ff:ff:ff:ff:ff:ff', 'ff:ff:ff:ff:ff:ff:ff:ff', '', 'x', '(0,0)',
             '{0,1,0}', '[(1e10,1e-10),(0,0)]', '(0,0),(0,0)', '((0,0),(1,1))', '((0,0))', '<(0,0),0>', 'empty',
             'empty', '{}', '0/0', '{}', '{}', '{}', '{}', '{}', '{}', '{}', 'sad', '{}', 1, '(,)'),
            (ID + 3, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL,
             NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL,
             NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL,
             NULL, NULL, NULL, NULL)""";

    private BifrostStack stack;

    @BeforeAll
    void startStack() throws Exception {
        stack = new BifrostStack();
        try (Connection c = stack.source(); Statement s = c.createStatement()) {
            s.execute("CREATE SCHEMA raw");
            s.execute("CREATE SCHEMA refined");
            s.execute("CREATE TYPE raw.mood AS ENUM ('sad', 'ok', 'happy')");
            s.execute("CREATE DOMAIN raw.posint AS integer CHECK (VALUE > 0)");
            s.execute("CREATE TYPE raw.pair AS (a int, b text)");
            s.execute(TYPES_TABLE);
            // through the initial snapshot
            s.execute(TYPE_ROWS.replace("ID", "0"));
            // keyless, REPLICA IDENTITY FULL, with duplicate rows
            s.execute("CREATE TABLE raw.keyless (a int, b text, j json)");
            s.execute("ALTER TABLE raw.keyless REPLICA IDENTITY FULL");
            s.execute("INSERT INTO raw.keyless SELECT g % 3, 'v' || (g % 3), '{\"k\": 1}' FROM generate_series(1, 12) g");
            // REPLICA IDENTITY USING INDEX beside a primary key
            s.execute("CREATE TABLE raw.by_index (id int PRIMARY KEY, code text NOT NULL, v text)");
            s.execute("CREATE UNIQUE INDEX by_index_code ON raw.by_index (code)");
            s.execute("ALTER TABLE raw.by_index REPLICA IDENTITY USING INDEX by_index_code");
            s.execute("INSERT INTO raw.by_index SELECT g, 'c' || g, 'v' FROM generate_series(1, 20) g");
            // a source column named like Bifrost's own
            s.execute("CREATE TABLE raw.own_stamp (id int PRIMARY KEY, replicated_at timestamptz, v text)");
            s.execute("INSERT INTO raw.own_stamp VALUES (1, '2001-02-03 04:05:06+00', 'x'), (2, NULL, 'y')");
            // a table that the targets hold already, as an operator or the old JDBC sink created it
            s.execute("CREATE TABLE refined.precreated (id bigint PRIMARY KEY, name text, amount numeric(12,2))");
            s.execute("INSERT INTO refined.precreated SELECT g, 'n' || g, g * 1.5 FROM generate_series(1, 3000) g");
        }
        for (String target : BifrostStack.TARGETS) {
            try (Connection c = stack.target(target); Statement s = c.createStatement()) {
                s.execute("CREATE SCHEMA refined");
                s.execute("CREATE TABLE refined.precreated (id bigint, name text, amount numeric(12,2))");
                s.execute("INSERT INTO refined.precreated SELECT g, 'stale', 0 FROM generate_series(1, 10) g");
            }
        }
        stack.startServices();
    }

    @AfterAll
    void stopStack() throws Exception {
        if (stack != null) {
            stack.close();
        }
    }

    @Test
    @Order(1)
    void everyTypeKeylessTablesAndPrecreatedTablesArriveExactly() throws Exception {
        try (Connection c = stack.source(); Statement s = c.createStatement()) {
            // the same values through the stream
            s.execute(TYPE_ROWS.replace("ID", "100"));
            s.execute("UPDATE raw.every_type SET t = t || '!', ai = ai || 4 WHERE id IN (1, 101)");
            // exactly one of the equal rows changes, as on the source
            s.execute("UPDATE raw.keyless SET b = 'changed' WHERE ctid = (SELECT ctid FROM raw.keyless WHERE a = 1 LIMIT 1)");
            s.execute("DELETE FROM raw.keyless WHERE ctid = (SELECT ctid FROM raw.keyless WHERE a = 2 LIMIT 1)");
            s.execute("DELETE FROM raw.by_index WHERE id <= 5");
            s.execute("UPDATE raw.by_index SET v = 'w' WHERE id > 15");
            s.execute("INSERT INTO raw.own_stamp VALUES (3, now(), 'z')");
            s.execute("UPDATE refined.precreated SET amount = -amount WHERE id % 10 = 0");
            // other applications' messages are skipped, transactional or not
            s.execute("SELECT pg_logical_emit_message(true, 'someone-else', 'hello')");
            s.execute("SELECT pg_logical_emit_message(false, 'someone-else', '{\"not\": \"ours\"}')");
            s.execute("INSERT INTO raw.keyless VALUES (9, 'after the messages', NULL)");
        }
        stack.awaitTargetsEqualSource(CONVERGE);
        assertNoDeadLetters();
        assertThat(JSON.readTree(stack.capture.get("/api/status").body()).path("messagesSkipped").asLong())
                .as("other applications' messages, skipped and counted").isEqualTo(2);
        for (String target : BifrostStack.TARGETS) {
            try (Connection c = stack.target(target)) {
                assertThat(TableChecksum.primaryKey(c, "refined", "precreated")).as(target).containsExactly("id");
                assertThat(TableChecksum.primaryKey(c, "raw", "by_index")).as(target).containsExactly("code");
                assertThat(TableChecksum.columns(c, "raw", "own_stamp")).as(target)
                        .containsExactly("id", "replicated_at", "v");
            }
        }
    }

    @Test
    @Order(2)
    void schemaChangesWhileRowsStreamReachTheTargetsWhereTheyHappened() throws Exception {
        try (Connection c = stack.source(); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE raw.evolving (id bigserial PRIMARY KEY, a int, b text, c numeric(6,2))");
            s.execute("INSERT INTO raw.evolving (a, b, c) SELECT g, 'b' || g, g / 3.0 FROM generate_series(1, 500) g");
            s.execute("CREATE TABLE raw.dropme (id int PRIMARY KEY, v text)");
            s.execute("INSERT INTO raw.dropme SELECT g, 'v' FROM generate_series(1, 100) g");
            s.execute("CREATE TABLE raw.swapkey (id int PRIMARY KEY, code text NOT NULL, v text)");
            s.execute("INSERT INTO raw.swapkey SELECT g, 'k' || g, 'v' FROM generate_series(1, 100) g");
        }
        AtomicBoolean writing = new AtomicBoolean(true);
        AtomicInteger written = new AtomicInteger();
        ExecutorService writer = Executors.newSingleThreadExecutor();
        Future<?> writes = writer.submit(() -> {
            try (Connection c = stack.source(); Statement s = c.createStatement()) {
                while (writing.get()) {
                    s.execute("INSERT INTO raw.evolving (a) SELECT g FROM generate_series(1, 20) g");
                    written.incrementAndGet();
                }
            }
            return null;
        });
        writer.shutdown();
        try (Connection c = stack.source()) {
            await().atMost(Duration.ofSeconds(30)).until(() -> written.get() > 20);
            exec(c, "ALTER TABLE raw.evolving ADD COLUMN d text DEFAULT 'the default'");
            exec(c, "UPDATE raw.evolving SET b = 'before the rename' WHERE id % 5 = 0",
                    "ALTER TABLE raw.evolving RENAME COLUMN b TO \"b renamed\"",
                    "UPDATE raw.evolving SET \"b renamed\" = 'after the rename' WHERE id % 7 = 0");
            exec(c, "ALTER TABLE raw.evolving ALTER COLUMN c TYPE numeric(12,4)",
                    "UPDATE raw.evolving SET c = c * 1000.1234 WHERE id % 3 = 0");
            exec(c, "UPDATE raw.evolving SET d = 'set' WHERE d IS NULL", "ALTER TABLE raw.evolving ALTER COLUMN d SET NOT NULL");
            exec(c, "ALTER TABLE raw.evolving ADD COLUMN e raw.mood, ADD COLUMN f raw.posint",
                    "UPDATE raw.evolving SET e = 'ok', f = 3 WHERE id % 2 = 0");
            exec(c, "CREATE TYPE raw.size AS ENUM ('s', 'm')", "ALTER TABLE raw.evolving ADD COLUMN sz raw.size",
                    "UPDATE raw.evolving SET sz = 'm' WHERE id % 4 = 0");
            exec(c, "ALTER TABLE raw.evolving DROP COLUMN c");
            exec(c, "ALTER TABLE raw.evolving ALTER COLUMN d DROP NOT NULL", "INSERT INTO raw.evolving (a, d) VALUES (-1, NULL)");
            exec(c, "ALTER TABLE raw.evolving RENAME COLUMN id TO ident");
            exec(c, "DELETE FROM raw.evolving WHERE ident % 11 = 0");
            // created, filled without a key, keyed later, renamed, moved to another captured schema
            exec(c, "CREATE TABLE raw.later (x int, y text)",
                    "INSERT INTO raw.later SELECT g, 'y' || g FROM generate_series(1, 300) g");
            exec(c, "ALTER TABLE raw.later ADD PRIMARY KEY (x)", "UPDATE raw.later SET y = 'keyed' WHERE x % 2 = 0");
            exec(c, "ALTER TABLE raw.later RENAME TO \"later renamed\"",
                    "DELETE FROM raw.\"later renamed\" WHERE x % 3 = 0");
            exec(c, "ALTER TABLE raw.\"later renamed\" SET SCHEMA refined",
                    "UPDATE refined.\"later renamed\" SET y = 'moved' WHERE x % 5 = 0");
            // a key replaced by another, then none at all
            exec(c, "ALTER TABLE raw.swapkey DROP CONSTRAINT swapkey_pkey", "ALTER TABLE raw.swapkey ADD PRIMARY KEY (code)",
                    "UPDATE raw.swapkey SET v = 'by code' WHERE id % 2 = 0", "DELETE FROM raw.swapkey WHERE id % 9 = 0");
            exec(c, "ALTER TABLE raw.swapkey DROP CONSTRAINT swapkey_pkey", "ALTER TABLE raw.swapkey REPLICA IDENTITY FULL",
                    "UPDATE raw.swapkey SET v = 'keyless' WHERE id % 4 = 0");
            exec(c, "DROP TABLE raw.dropme");
            // created and dropped within the stream, and a table dropped and created again under its name
            exec(c, "CREATE TABLE raw.brief (id int PRIMARY KEY)", "INSERT INTO raw.brief VALUES (1)", "DROP TABLE raw.brief");
            exec(c, "CREATE TABLE raw.again (id int PRIMARY KEY, v text)", "INSERT INTO raw.again VALUES (1, 'first')");
            exec(c, "DROP TABLE raw.again", "CREATE TABLE raw.again (id text PRIMARY KEY, w int)",
                    "INSERT INTO raw.again VALUES ('second', 2)");
            await().atMost(Duration.ofSeconds(30)).until(() -> written.get() > 100);
        } finally {
            writing.set(false);
            writes.get(1, TimeUnit.MINUTES);
        }
        try (Connection c = stack.source()) {
            exec(c, "ALTER TABLE raw.evolving RENAME TO evolved", "INSERT INTO raw.evolved (a) VALUES (42)");
        }
        stack.awaitTargetsEqualSource(CONVERGE);
        assertNoDeadLetters();
        for (String target : BifrostStack.TARGETS) {
            try (Connection c = stack.target(target)) {
                assertThat(TableChecksum.primaryKey(c, "refined", "later renamed")).as(target).containsExactly("x");
                assertThat(TableChecksum.primaryKey(c, "raw", "swapkey")).as(target).isEmpty();
                assertThat(TableChecksum.primaryKey(c, "raw", "evolved")).as(target).containsExactly("ident");
                assertThat(rows(c, "SELECT format_type(atttypid, atttypmod) || ' ' || attnotnull FROM pg_attribute "
                        + "WHERE attrelid = 'raw.evolved'::regclass AND attname IN ('d', 'b renamed') ORDER BY attname"))
                        .as(target).containsExactly("text false", "text false");
            }
        }
    }

    @Test
    @Order(3)
    void pgbenchReplicatesWithItsKeysAndItsKeylessHistory() throws Exception {
        pgbench("-i", "-s", "2", "-q");
        pgbench("-c", "4", "-j", "2", "-T", "15", "-n");
        stack.awaitTargetsEqualSource(CONVERGE);
        assertNoDeadLetters();
        for (String target : BifrostStack.TARGETS) {
            try (Connection c = stack.target(target)) {
                assertThat(TableChecksum.primaryKey(c, "raw", "pgbench_accounts")).as(target).containsExactly("aid");
                assertThat(TableChecksum.primaryKey(c, "raw", "pgbench_history")).as(target).isEmpty();
            }
        }
        try (Connection c = stack.source()) {
            assertThat(rows(c, "SELECT count(*) FROM raw.pgbench_history")).as("the run wrote history")
                    .doesNotContain("0");
        }
    }

    @Test
    @Order(4)
    void aCaptureRestartedBehindSchemaChangesTypesItsBacklogAsItWasWritten() throws Exception {
        try (Connection c = stack.source()) {
            exec(c, "CREATE TABLE raw.backlog (id int PRIMARY KEY, a int, c int, s text)",
                    "INSERT INTO raw.backlog SELECT g, g, g * 10, 's' FROM generate_series(1, 200) g");
        }
        stack.awaitTargetsEqualSource(CONVERGE);
        stack.capture.kill();
        try (Connection c = stack.source()) {
            exec(c, "INSERT INTO raw.backlog SELECT g, g, g * 10, 'backlog' FROM generate_series(201, 400) g");
            exec(c, "UPDATE raw.backlog SET c = -c WHERE id % 2 = 0");
            exec(c, "ALTER TABLE raw.backlog DROP COLUMN c");
            exec(c, "ALTER TABLE raw.backlog ALTER COLUMN a TYPE bigint", "UPDATE raw.backlog SET a = a * 10000000000");
            exec(c, "ALTER TABLE raw.backlog RENAME COLUMN s TO t");
            exec(c, "INSERT INTO raw.backlog SELECT g, g, 'after' FROM generate_series(401, 500) g");
        }
        stack.capture.start();
        stack.awaitTargetsEqualSource(CONVERGE);
        assertNoDeadLetters();
        assertThat(stack.capture.log()).doesNotContain("travel as text");
    }

    @Test
    @Order(5)
    void aChangeOneTargetRefusesStopsThatTargetAtATransactionBoundaryAndSaysWhy() throws Exception {
        try (Connection c = stack.target("stormbreakerdb"); Statement s = c.createStatement()) {
            s.execute("ALTER TABLE raw.evolved ADD CONSTRAINT only_positive CHECK (a > 0) NOT VALID");
        }
        try (Connection c = stack.source()) {
            // one source transaction: the row the target refuses, and one it would take
            exec(c, "INSERT INTO raw.evolved (a) VALUES (-7)", "INSERT INTO raw.own_stamp VALUES (99, NULL, 'same tx')");
        }
        await("stormbreaker stopped, saying why").atMost(Duration.ofMinutes(1)).untilAsserted(() -> {
            JsonNode target = JSON.readTree(stack.apply.get("/api/targets/stormbreaker").body());
            assertThat(target.path("state").asText()).isEqualTo("failed");
            assertThat(target.path("reason").asText()).contains("raw.evolved").contains("only_positive")
                    .contains("changelog offset");
        });
        assertThat(stack.differences(List.of("mjolnirdb"))).as("the other target goes on").isEmpty();
        try (Connection c = stack.target("stormbreakerdb")) {
            assertThat(rows(c, "SELECT v FROM raw.own_stamp WHERE id = 99")).as("no half transaction").isEmpty();
            assertThat(rows(c, "SELECT reason FROM bifrost.dead_letter")).as("nothing set aside").isEmpty();
            try (Statement s = c.createStatement()) {
                s.execute("ALTER TABLE raw.evolved DROP CONSTRAINT only_positive");
            }
        }
        stack.awaitTargetsEqualSource(CONVERGE);
        assertNoDeadLetters();
    }

    private void pgbench(String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of(stack.postgres.bin().resolve("pgbench").toString(),
                "-h", "127.0.0.1", "-p", Integer.toString(stack.postgres.port()), "-U", PostgresServer.USER));
        command.addAll(List.of(args));
        command.add(BifrostStack.THORDB);
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().put("PGOPTIONS", "-c search_path=raw");
        Process process = builder.start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(3, TimeUnit.MINUTES)).as("pgbench finished").isTrue();
        assertThat(process.exitValue()).as("pgbench " + String.join(" ", args) + ":\n" + output).isZero();
    }


    private void assertNoDeadLetters() throws SQLException {
        for (String target : BifrostStack.TARGETS) {
            try (Connection c = stack.target(target)) {
                assertThat(rows(c, "SELECT reason FROM bifrost.dead_letter")).as(target + ": dead letters").isEmpty();
            }
        }
    }

    private static List<String> rows(Connection c, String sql) throws SQLException {
        List<String> rows = new ArrayList<>();
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            while (rs.next()) {
                rows.add(rs.getString(1));
            }
        }
        return rows;
    }
}
