package dev.bifrost.capture.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.bifrost.capture.ThorDatabase;
import dev.bifrost.capture.refine.Refiner;
import dev.bifrost.capture.refine.StarSchemaContract;
import dev.bifrost.testsupport.PostgresServer;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Loading SINARM files into a real ThorDB: counts, cleaning, rejects, bad files, reloads. */
class LoaderIT {

    static final Path SAMPLES = Path.of("src/main/resources/sinarm");

    private static PostgresServer postgres;

    @TempDir
    Path dir;

    private ThorDatabase thordb;
    private Loader loader;

    @BeforeAll
    static void startPostgres() {
        postgres = PostgresServer.start("loader");
    }

    @AfterAll
    static void stopPostgres() {
        postgres.close();
    }

    @BeforeEach
    void freshThorDb() throws java.sql.SQLException {
        thordb = ThorDatabase.create(postgres);
        loader = new Loader(thordb.dataSource());
    }

    private Ingestion load(Dataset dataset, Path file) throws Exception {
        return load(dataset, file, false);
    }

    private Ingestion load(Dataset dataset, Path file, boolean replace) throws Exception {
        Ingestion ingestion = Ingestion.start(dataset, file.getFileName().toString());
        loader.load(ingestion, file, replace);
        return ingestion;
    }

    @Test
    void theSamplesLoadWithTheExpectedCountsAndCleanedValues() throws Exception {
        Ingestion registros = load(Dataset.REGISTROS, SAMPLES.resolve("registros.csv"));
        Ingestion portes = load(Dataset.PORTES, SAMPLES.resolve("portes.csv"));
        Ingestion ocorrencias = load(Dataset.OCORRENCIAS, SAMPLES.resolve("ocorrencias.csv"));

        assertThat(registros.rowsLoaded()).isEqualTo(SinarmSamples.REGISTROS_ROWS - 3);
        assertThat(registros.rowsRejected()).isEqualTo(3);
        assertThat(portes.rowsLoaded()).isEqualTo(SinarmSamples.PORTES_ROWS);
        assertThat(ocorrencias.rowsLoaded()).isEqualTo(SinarmSamples.OCORRENCIAS_ROWS);
        assertThat(thordb.count("SELECT count(*) FROM raw.registros")).isEqualTo(SinarmSamples.REGISTROS_ROWS - 3);
        assertThat(thordb.count("SELECT count(*) FROM raw.portes")).isEqualTo(SinarmSamples.PORTES_ROWS);
        assertThat(thordb.count("SELECT count(*) FROM raw.ocorrencias")).isEqualTo(SinarmSamples.OCORRENCIAS_ROWS);

        // bad rows are reported with their line (header = line 1) and reason
        assertThat(registros.rejects()).containsExactly(
                new Ingestion.Reject(102, "mes_missao: 13 is not a month (1 to 12)"),
                new Ingestion.Reject(1002, "total: 'dois' is not an integer"),
                new Ingestion.Reject(2502, "expected 11 fields, found 12"));

        // the first data line: 2023;3;GO;anápolis;CANCELADO;REVÓLVER;CBC;.380;F;MAGISTRADO;1
        assertThat(thordb.rows("""
                SELECT ano_emissao, mes_missao, uf, municipio, status_registro, especie_arma, marca_arma,
                       calibre_arma, sexo, categoria, total
                FROM raw.registros ORDER BY id LIMIT 1""")).containsExactly(
                "2023|3|GO|Anapolis|Cancelado|Revolver|Cbc|.380|F|Magistrado|1");

        // accents folded, spaces trimmed and squeezed, title case, blanks NULL, codes upper case
        for (String column : List.of("municipio", "status_registro", "especie_arma", "marca_arma", "calibre_arma",
                "categoria")) {
            assertThat(thordb.count("SELECT count(*) FROM raw.registros WHERE " + column + " ~ '[^ -~]' OR "
                    + column + " <> btrim(" + column + ") OR " + column + " LIKE '%  %' OR " + column + " = ''"))
                    .as(column).isZero();
        }
        assertThat(thordb.rows("SELECT DISTINCT especie_arma FROM raw.registros ORDER BY 1")).containsExactly(
                "Carabina", "Espingarda", "Fuzil", "Garrucha", "Pistola", "Revolver", "Rifle");
        assertThat(thordb.rows("SELECT DISTINCT categoria FROM raw.registros WHERE categoria LIKE 'C%' ORDER BY 1"))
                .containsExactly("Cacador", "Cidadao", "Colecionador");
        assertThat(thordb.rows("SELECT DISTINCT municipio FROM raw.registros WHERE uf = 'SP' AND municipio LIKE 'S%' "
                + "ORDER BY 1")).containsExactly("Santos", "Sao Carlos", "Sao Jose Dos Campos", "Sao Paulo",
                "Sorocaba");
        assertThat(thordb.rows("SELECT DISTINCT marca_arma FROM raw.portes WHERE marca_arma LIKE '%&%' ORDER BY 1"))
                .containsExactly("Heckler & Koch", "Smith & Wesson");
        assertThat(thordb.rows("SELECT DISTINCT uf FROM raw.ocorrencias WHERE uf IS NULL OR uf !~ '^[A-Z]{2}$'")).containsExactly(
                "null");
        assertThat(thordb.rows("SELECT DISTINCT sexo FROM raw.registros ORDER BY 1")).containsExactly("F", "M",
                "null");
        assertThat(thordb.count("SELECT count(*) FROM raw.registros WHERE marca_arma IS NULL")).isPositive();
        assertThat(thordb.rows("SELECT DISTINCT mais_1000_mil_hab FROM raw.ocorrencias ORDER BY 1"))
                .containsExactly("N", "S", "null");

        assertThat(thordb.rows("""
                SELECT dataset, state, rows_loaded, rows_rejected, length(sha256)
                FROM bifrost.ingestion ORDER BY started_at""")).containsExactly(
                "registros|succeeded|2997|3|64", "portes|succeeded|2000|0|64", "ocorrencias|succeeded|2500|0|64");
        assertThat(thordb.count("SELECT count(*) FROM bifrost.ingestion_reject")).isEqualTo(3);
        assertThat(thordb.count("SELECT count(DISTINCT load_id) FROM raw.registros")).isEqualTo(1);
    }

    @Test
    void theSamplesRefineIntoAStarSchemaThatHoldsTheContract() throws Exception {
        load(Dataset.REGISTROS, SAMPLES.resolve("registros.csv"));
        load(Dataset.PORTES, SAMPLES.resolve("portes.csv"));
        load(Dataset.OCORRENCIAS, SAMPLES.resolve("ocorrencias.csv"));
        Refiner refiner = new Refiner(thordb.dataSource());

        refiner.refine();

        StarSchemaContract.check(thordb);
        assertThat(thordb.rows("SELECT descricao FROM refined.dim_genero ORDER BY id")).containsExactly("F", "M", "N/A");
        assertThat(thordb.count("SELECT count(*) FROM refined.dim_uf")).isEqualTo(28);
        assertThat(thordb.count("SELECT sum(total) FROM refined.fat_registros"))
                .isEqualTo(thordb.count("SELECT sum(total) FROM raw.registros"));
        assertThat(refiner.refine().rowsChanged()).isZero();
    }

    @Test
    void loadingTheSameFileTwiceIsRefusedAndChangesNothing() throws Exception {
        Ingestion first = load(Dataset.PORTES, SAMPLES.resolve("portes.csv"));
        List<String> before = thordb.rows("SELECT md5(string_agg(p::text, ',' ORDER BY id)) FROM raw.portes p");

        Path copy = Files.copy(SAMPLES.resolve("portes.csv"), dir.resolve("portes-2023.csv"));
        assertThatThrownBy(() -> load(Dataset.PORTES, copy)).isInstanceOf(AlreadyLoadedException.class)
                .hasMessageContaining("already loaded").hasMessageContaining(first.id().toString())
                .hasMessageContaining("--replace");

        assertThat(thordb.rows("SELECT md5(string_agg(p::text, ',' ORDER BY id)) FROM raw.portes p"))
                .isEqualTo(before);
        assertThat(thordb.rows("SELECT state FROM bifrost.ingestion ORDER BY started_at"))
                .containsExactly("succeeded", "failed");
    }

    @Test
    void aReloadWithReplaceReplacesThatLoadsRows() throws Exception {
        Ingestion first = load(Dataset.OCORRENCIAS, SAMPLES.resolve("ocorrencias.csv"));
        Ingestion other = load(Dataset.OCORRENCIAS, write("outra.csv", SinarmSamples.OCORRENCIAS_HEADER,
                "2024;1;SP;SANTOS;PISTOLA;TAURUS;.380;ROUBO;N;1"));

        Ingestion second = load(Dataset.OCORRENCIAS, SAMPLES.resolve("ocorrencias.csv"), true);

        assertThat(second.replaced()).isEqualTo(first.id());
        assertThat(thordb.count("SELECT count(*) FROM raw.ocorrencias")).isEqualTo(SinarmSamples.OCORRENCIAS_ROWS + 1);
        assertThat(thordb.rows("SELECT load_id, count(*) FROM raw.ocorrencias GROUP BY 1 ORDER BY 2")).containsExactly(
                other.id() + "|1", second.id() + "|" + SinarmSamples.OCORRENCIAS_ROWS);
        assertThat(thordb.rows("SELECT id, state, replaces FROM bifrost.ingestion ORDER BY started_at"))
                .containsExactly(first.id() + "|replaced|null", other.id() + "|succeeded|null",
                        second.id() + "|succeeded|" + first.id());
    }

    @Test
    void aFileThatIsNotLatin1IsRejectedAndNothingIsLoaded() throws Exception {
        String text = Files.readString(SAMPLES.resolve("registros.csv"), StandardCharsets.ISO_8859_1);
        Path utf8 = Files.writeString(dir.resolve("registros-utf8.csv"), text, StandardCharsets.UTF_8);

        assertThatThrownBy(() -> load(Dataset.REGISTROS, utf8)).isInstanceOf(RejectedFileException.class)
                .hasMessageContaining("not ISO-8859-1 (Latin-1) as published").hasMessageContaining("line 1");
        assertNothingLoaded();
        assertThat(thordb.rows("SELECT state, error FROM bifrost.ingestion")).singleElement().asString()
                .startsWith("failed|not ISO-8859-1");
    }

    @Test
    void aFileWithoutARequiredColumnIsRejectedNamingIt() throws Exception {
        Path file = write("registros.csv", "ANO_EMISSAO;MES_EMISSAO;UF;MUNICIPIO;ESPECIE_ARMA;MARCA_ARMA;"
                + "CALIBRE_ARMA;SEXO;TOTAL", "2023;1;SP;SANTOS;PISTOLA;TAURUS;.380;M;1");
        assertThatThrownBy(() -> load(Dataset.REGISTROS, file)).isInstanceOf(RejectedFileException.class)
                .hasMessageContaining("lacks required columns STATUS_REGISTRO, CATEGORIA");
        assertNothingLoaded();
    }

    @Test
    void emptyFilesAreRejected() throws Exception {
        assertThatThrownBy(() -> load(Dataset.PORTES, write("empty.csv"))).isInstanceOf(RejectedFileException.class)
                .hasMessage("the file is empty");
        assertThatThrownBy(() -> load(Dataset.PORTES, write("blank.csv", "", "  ", "")))
                .isInstanceOf(RejectedFileException.class).hasMessageContaining("no header row");
        assertThatThrownBy(() -> load(Dataset.PORTES, write("header.csv", SinarmSamples.PORTES_HEADER)))
                .isInstanceOf(RejectedFileException.class).hasMessageContaining("header only");
        assertThatThrownBy(() -> load(Dataset.PORTES, write("allbad.csv", SinarmSamples.PORTES_HEADER, "a;b", "c")))
                .isInstanceOf(RejectedFileException.class).hasMessageContaining("no row of the file could be loaded");
        assertNothingLoaded();
    }

    @Test
    void malformedCsvHalfwayRollsBackTheRowsBeforeIt() throws Exception {
        List<String> lines = Files.readAllLines(SAMPLES.resolve("ocorrencias.csv"), StandardCharsets.ISO_8859_1);
        lines.add(2000, "2023;1;SP;\"SANTOS;PISTOLA;TAURUS;.380;ROUBO;N;1");
        Path file = write("ocorrencias.csv", lines.toArray(String[]::new));

        assertThatThrownBy(() -> load(Dataset.OCORRENCIAS, file)).isInstanceOf(RejectedFileException.class)
                .hasMessageContaining("malformed CSV");
        assertNothingLoaded();
    }

    private void assertNothingLoaded() throws SQLException {
        assertThat(thordb.count("SELECT (SELECT count(*) FROM raw.registros) + (SELECT count(*) FROM raw.portes) "
                + "+ (SELECT count(*) FROM raw.ocorrencias)")).isZero();
        assertThat(thordb.count("SELECT count(*) FROM bifrost.ingestion WHERE state <> 'failed'")).isZero();
    }

    private Path write(String name, String... lines) throws IOException {
        Path file = dir.resolve(UUID.randomUUID() + "-" + name);
        Files.write(file, lines.length == 0 ? List.of() : List.of(lines), StandardCharsets.ISO_8859_1);
        if (lines.length == 0) {
            Files.write(file, new byte[0]);
        }
        return file;
    }
}
