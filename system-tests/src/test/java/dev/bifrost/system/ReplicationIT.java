package dev.bifrost.system;

import static dev.bifrost.system.BifrostStack.exec;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

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
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * End to end, with real PostgreSQL, a real Kafka broker and both services as separate processes: a mixed
 * workload converges on both targets, a multi-table invariant holds on the targets throughout, and SIGKILL
 * of either service loses and duplicates nothing.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ReplicationIT {

    private static final Duration CONVERGE = Duration.ofMinutes(4);

    private BifrostStack stack;

    @BeforeAll
    void startStack() throws Exception {
        stack = new BifrostStack();
        // a table with rows before capture starts: it arrives through the initial snapshot
        try (Connection c = stack.source(); Statement s = c.createStatement()) {
            s.execute("CREATE SCHEMA refined");
            s.execute("CREATE TABLE refined.preexisting (id int PRIMARY KEY, label text, amount numeric(12,2), "
                    + "created date, flag boolean)");
            s.execute("INSERT INTO refined.preexisting SELECT g, 'row ' || g, g * 1.25, date '2020-01-01' + g, "
                    + "g % 2 = 0 FROM generate_series(1, 5000) g");
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
    void mixedWorkloadConvergesOnBothTargets() throws Exception {
        try (Connection c = stack.source()) {
            c.setAutoCommit(false);
            // inserts: 3 tables x 6,000 rows in transactions of 500
            for (int batch = 0; batch < 12; batch++) {
                try (Statement s = c.createStatement()) {
                    s.execute(insertRegistros(500));
                    s.execute(insertPortes(500));
                    s.execute(insertOcorrencias(500));
                }
                c.commit();
            }
            // updates in multi-row transactions
            for (int batch = 0; batch < 3; batch++) {
                exec(c, "UPDATE raw.registros SET total = total + 7, municipio = 'São Paulo ' || id "
                        + "WHERE id % 3 = " + batch);
            }
            // deletes
            exec(c, "DELETE FROM raw.registros WHERE id % 10 = 0",
                    "DELETE FROM raw.ocorrencias WHERE id BETWEEN 200 AND 700");
            // a primary-key change, and the row at the new key updated in the same transaction
            exec(c, "UPDATE raw.ocorrencias SET id = id + 1000000 WHERE id <= 150",
                    "UPDATE raw.ocorrencias SET total = -1 WHERE id = 1000001");
            // TRUNCATE of one table, then rows again
            exec(c, "TRUNCATE raw.portes");
            exec(c, insertPortes(700));
            // a new column, then rows that use it; big values are TOASTed, then left unchanged by an update
            exec(c, "ALTER TABLE raw.registros ADD COLUMN observacao text",
                    // out of line and uncompressed: these values are TOASTed for sure
                    "ALTER TABLE raw.registros ALTER COLUMN observacao SET STORAGE EXTERNAL");
            exec(c, "UPDATE raw.registros SET observacao = repeat(md5(id::text), 200) WHERE id % 7 = 1");
            exec(c, "UPDATE raw.registros SET total = total * 2 WHERE id % 7 = 1");
            exec(c, insertRegistros(300).replace("categoria)", "categoria, observacao)")
                    .replace("'Cidadão'", "'Cidadão', 'nova coluna ' || g"));
            // a table created while running, with assorted types
            exec(c, """
                    CREATE TABLE raw.novidades (id serial PRIMARY KEY, nome text NOT NULL, valor numeric(10,2),
                        criado timestamptz, dia date, hora time, tags text[], dados jsonb, bytes bytea,
                        "Nome Estranho" varchar(20), ativo boolean, razao double precision, uid uuid)""");
            exec(c, """
                    INSERT INTO raw.novidades (nome, valor, criado, dia, hora, tags, dados, bytes, "Nome Estranho",
                        ativo, razao, uid)
                    SELECT 'item "' || g || '" \\ fim', g / 7.0, timestamptz '2024-03-10 12:00:00.123456+02' + g * interval '1 hour',
                        date '1999-12-31' + g, time '23:59:59.999999' - g * interval '1 second',
                        ARRAY['a,b', 'c"d', NULL, 'e'], jsonb_build_object('g', g, 'ok', true),
                        decode(md5(g::text), 'hex'), 'x ' || g, g % 2 = 0, g / 3.0,
                        md5(g::text)::uuid
                    FROM generate_series(1, 1000) g""");
            // one transaction across tables
            exec(c, insertRegistros(200), insertPortes(200), "DELETE FROM raw.novidades WHERE id % 5 = 0",
                    "UPDATE refined.preexisting SET label = NULL, flag = NULL WHERE id % 4 = 0");
        }
        stack.awaitTargetsEqualSource(CONVERGE);
        try (Connection c = stack.source(); Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT (SELECT count(*) FROM raw.registros) + "
                        + "(SELECT count(*) FROM raw.portes) + (SELECT count(*) FROM raw.ocorrencias)")) {
            rs.next();
            assertThat(rs.getLong(1)).as("rows replicated").isGreaterThan(10_000);
        }
    }

    @Test
    @Order(2)
    void targetsNeverShowAHalfAppliedTransaction() throws Exception {
        long total = 100 * 1000 * 2;
        exec(stack.source(), "CREATE TABLE raw.conta_a (id int PRIMARY KEY, saldo bigint NOT NULL)",
                "CREATE TABLE raw.conta_b (id int PRIMARY KEY, saldo bigint NOT NULL)");
        exec(stack.source(), "INSERT INTO raw.conta_a SELECT g, 1000 FROM generate_series(1, 100) g",
                "INSERT INTO raw.conta_b SELECT g, 1000 FROM generate_series(1, 100) g");

        AtomicBoolean writing = new AtomicBoolean(true);
        AtomicReference<String> violation = new AtomicReference<>();
        AtomicLong checks = new AtomicLong();
        ExecutorService pool = Executors.newFixedThreadPool(5);
        List<Future<?>> readers = new ArrayList<>();
        for (String target : BifrostStack.TARGETS) {
            readers.add(pool.submit(() -> {
                try (Connection t = stack.target(target); Statement s = t.createStatement()) {
                    while (writing.get() || checks.get() < 10) {
                        try (ResultSet rs = s.executeQuery("SELECT (SELECT count(*) FROM raw.conta_a), "
                                + "(SELECT sum(saldo) FROM raw.conta_a) + (SELECT sum(saldo) FROM raw.conta_b)")) {
                            rs.next();
                            if (rs.getLong(1) > 0 && rs.getLong(2) != total) {
                                violation.compareAndSet(null, target + " showed a sum of " + rs.getLong(2));
                            }
                            if (rs.getLong(1) > 0) {
                                checks.incrementAndGet();
                            }
                        } catch (SQLException tablesNotThereYet) {
                            // until the first transaction arrives the target has no such tables
                        }
                    }
                }
                return null;
            }));
        }
        List<Future<?>> writers = new ArrayList<>();
        for (int w = 0; w < 3; w++) {
            writers.add(pool.submit(() -> {
                try (Connection c = stack.source()) {
                    c.setAutoCommit(false);
                    ThreadLocalRandom random = ThreadLocalRandom.current();
                    for (int i = 0; i < 700; i++) {
                        int amount = random.nextInt(-50, 50);
                        try (Statement s = c.createStatement()) {
                            s.execute("UPDATE raw.conta_a SET saldo = saldo - " + amount + " WHERE id = "
                                    + random.nextInt(1, 101));
                            s.execute("UPDATE raw.conta_b SET saldo = saldo + " + amount + " WHERE id = "
                                    + random.nextInt(1, 101));
                        }
                        c.commit();
                    }
                }
                return null;
            }));
        }
        for (Future<?> writer : writers) {
            writer.get();
        }
        stack.awaitTargetsEqualSource(CONVERGE);
        writing.set(false);
        for (Future<?> reader : readers) {
            reader.get();
        }
        pool.shutdown();
        assertThat(violation.get()).as("invariant broken on a target").isNull();
        assertThat(checks.get()).as("invariant checks made on targets").isGreaterThanOrEqualTo(10);
    }

    @Test
    @Order(3)
    void applyKilledMidStreamLosesAndDuplicatesNothing() throws Exception {
        Future<?> workload = startWorkload(40, 500);
        awaitTargetRowsBeyond("mjolnirdb", "raw.registros", rowCount("raw.registros") + 2000);
        stack.apply.kill();
        stack.apply.start();
        workload.get();
        stack.apply.awaitHealthy();
        stack.awaitTargetsEqualSource(CONVERGE);
        assertThat(stack.apply.log()).contains("resumes at offset");
    }

    @Test
    @Order(4)
    void captureKilledMidStreamLosesAndDuplicatesNothing() throws Exception {
        Future<?> workload = startWorkload(40, 500);
        awaitTargetRowsBeyond("stormbreakerdb", "raw.registros", rowCount("raw.registros") + 2000);
        stack.capture.kill();
        workload.get();
        stack.capture.start();
        stack.capture.awaitHealthy();
        stack.awaitTargetsEqualSource(CONVERGE);
    }

    @Test
    @Order(5)
    void sinarmFilesLoadedAndRefinedReachBothTargetsIdentical() throws Exception {
        for (String dataset : List.of("registros", "portes", "ocorrencias")) {
            String file = java.nio.file.Path.of("..", "capture-service", "src", "main", "resources", "sinarm",
                    dataset + ".csv").toAbsolutePath().toString();
            assertThat(stack.capture.runCommand("ingest", "--dataset", dataset, "--file", file))
                    .as("ingest " + dataset).isZero();
        }
        try (Connection c = stack.source(); Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT (SELECT count(*) FROM refined.fat_registros), "
                        + "(SELECT count(*) FROM refined.fat_portes), (SELECT count(*) FROM refined.fat_ocorrencia), "
                        + "(SELECT count(*) FROM refined.dim_municipio)")) {
            rs.next();
            assertThat(rs.getLong(1)).as("registros facts").isPositive();
            assertThat(rs.getLong(2)).as("portes facts").isPositive();
            assertThat(rs.getLong(3)).as("ocorrencias facts").isPositive();
            assertThat(rs.getLong(4)).as("municipalities").isPositive();
        }
        // every raw and refined table, dimensions and facts included, row for row on both targets
        stack.awaitTargetsEqualSource(CONVERGE);
    }

    private Future<?> startWorkload(int transactions, int rows) {
        ExecutorService single = Executors.newSingleThreadExecutor();
        Future<?> future = single.submit(() -> {
            try (Connection c = stack.source()) {
                c.setAutoCommit(false);
                for (int i = 0; i < transactions; i++) {
                    try (Statement s = c.createStatement()) {
                        s.execute(insertRegistros(rows));
                        s.execute("UPDATE raw.registros SET total = total + 1 WHERE id % 97 = " + (i % 97));
                        s.execute("DELETE FROM raw.registros WHERE id IN (SELECT id FROM raw.registros "
                                + "ORDER BY random() LIMIT 5)");
                    }
                    c.commit();
                }
            }
            return null;
        });
        single.shutdown();
        return future;
    }

    private long rowCount(String table) throws SQLException {
        try (Connection c = stack.source(); Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT max(id) FROM " + table)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private void awaitTargetRowsBeyond(String target, String table, long maxId) {
        await(target + " applying the workload").atMost(CONVERGE).pollInterval(Duration.ofMillis(100))
                .until(() -> {
                    try (Connection c = stack.target(target); Statement s = c.createStatement();
                            ResultSet rs = s.executeQuery("SELECT coalesce(max(id), 0) FROM " + table)) {
                        rs.next();
                        return rs.getLong(1) >= maxId;
                    }
                });
    }


    private static String insertRegistros(int rows) {
        return """
                INSERT INTO raw.registros (ano_emissao, mes_missao, uf, municipio, status_registro, especie_arma,
                    marca_arma, calibre_arma, sexo, categoria)
                SELECT 2000 + g % 24, 1 + g % 12, 'SP', '  Município  ' || g, 'Ativo', 'Pistola', 'Taurus',
                    '.380', CASE WHEN g % 3 = 0 THEN NULL ELSE 'M' END, 'Cidadão'
                FROM generate_series(1, ROWS) g""".replace("ROWS", Integer.toString(rows));
    }

    private static String insertPortes(int rows) {
        return """
                INSERT INTO raw.portes (ano_emissao, mes_missao, uf, municipio, tipo, status, abrangencia,
                    especie_arma, marca_arma, calibre_arma, sexo, total)
                SELECT 2010 + g % 10, 1 + g % 12, 'RJ', 'Niterói', 'Defesa pessoal', 'Ativo', 'Estadual',
                    'Revólver', 'Rossi', '.38', 'F', g
                FROM generate_series(1, ROWS) g""".replace("ROWS", Integer.toString(rows));
    }

    private static String insertOcorrencias(int rows) {
        return """
                INSERT INTO raw.ocorrencias (ano_ocorrencia, mes_ocorrencia, uf, municipio, especie_arma, marca_arma,
                    calibre_arma, tipo_ocorrencia, mais_1000_mil_hab, total)
                SELECT 2015 + g % 8, 1 + g % 12, 'MG', 'Belo Horizonte', 'Espingarda', 'CBC', '12',
                    'Furto', CASE WHEN g % 2 = 0 THEN 'S' ELSE 'N' END, g % 5
                FROM generate_series(1, ROWS) g""".replace("ROWS", Integer.toString(rows));
    }
}
