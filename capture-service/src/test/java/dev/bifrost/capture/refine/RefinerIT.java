package dev.bifrost.capture.refine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.bifrost.capture.ThorDatabase;
import dev.bifrost.testsupport.PostgresServer;
import java.sql.SQLException;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The refresh of the star schema on a small hand-checked input: exactly the expected dimensions (ids in
 * byte order of the values at their first refresh) and facts; a later refresh appends new values without
 * renumbering, upserts and deletes only what changed, and a refresh with nothing to do writes nothing.
 */
class RefinerIT {

    private static PostgresServer postgres;

    private ThorDatabase thordb;
    private Refiner refiner;

    @BeforeAll
    static void startPostgres() {
        postgres = PostgresServer.start("refiner");
    }

    @AfterAll
    static void stopPostgres() {
        postgres.close();
    }

    @BeforeEach
    void freshThorDb() throws SQLException {
        thordb = ThorDatabase.create(postgres);
        refiner = new Refiner(thordb.dataSource());
        thordb.execute("""
                INSERT INTO raw.registros (ano_emissao, mes_missao, uf, municipio, status_registro, especie_arma,
                                           marca_arma, calibre_arma, sexo, categoria, total) VALUES
                    (2023, 1, 'SP', 'Sao Paulo', 'Ativo', 'Pistola', 'Taurus', '.380', 'M', 'Cidadao', 2),
                    (2023, 2, 'RJ', 'Niteroi', 'Vencido', 'Revolver', 'Cbc', '.38', 'F', 'Cacador', 1),
                    (2022, 12, NULL, '  ', 'Ativo', 'Pistola', NULL, '', NULL, 'Cidadao', 5);
                INSERT INTO raw.portes (ano_emissao, mes_missao, uf, municipio, tipo, status, abrangencia,
                                        especie_arma, marca_arma, calibre_arma, sexo, total) VALUES
                    (2023, 3, 'SP', 'Campinas', 'Defesa Pessoal', 'Ativo', 'Nacional', 'Pistola', 'Glock', '9Mm',
                     'M', 1),
                    (2021, 7, 'RJ', 'Sao Paulo', 'Funcional', 'Suspenso', 'Estadual', 'Revolver', 'Taurus', '.38',
                     'F', 2);
                INSERT INTO raw.ocorrencias (ano_ocorrencia, mes_ocorrencia, uf, municipio, especie_arma,
                                             marca_arma, calibre_arma, tipo_ocorrencia, mais_1000_mil_hab, total)
                VALUES
                    (2023, 5, 'SP', 'Sao Paulo', 'Pistola', 'Taurus', '.380', 'Furto', 'S', 3),
                    (2022, 6, 'MG', 'Contagem', 'Espingarda', NULL, '12', 'Roubo', 'N', 1),
                    (2022, 8, 'MG', 'Contagem', 'Espingarda', 'Boito', '12', 'Roubo', NULL, 1)""");
    }

    private List<String> dimension(String table) throws SQLException {
        return thordb.rows("SELECT id, descricao FROM refined." + table + " ORDER BY id");
    }

    @Test
    void aSmallInputGivesExactlyTheExpectedStarSchema() throws SQLException {
        RefinementSummary summary = refiner.refine();

        assertThat(dimension("dim_uf")).containsExactly("1|MG", "2|N/A", "3|RJ", "4|SP");
        assertThat(dimension("dim_municipio"))
                .containsExactly("1|Campinas", "2|Contagem", "3|N/A", "4|Niteroi", "5|Sao Paulo");
        assertThat(dimension("dim_especie_arma")).containsExactly("1|Espingarda", "2|Pistola", "3|Revolver");
        assertThat(dimension("dim_marca")).containsExactly("1|Boito", "2|Cbc", "3|Glock", "4|N/A", "5|Taurus");
        assertThat(dimension("dim_calibre")).containsExactly("1|.38", "2|.380", "3|12", "4|9Mm", "5|N/A");
        assertThat(dimension("dim_categoria")).containsExactly("1|Cacador", "2|Cidadao");
        assertThat(dimension("dim_genero")).containsExactly("1|F", "2|M", "3|N/A");
        assertThat(dimension("dim_status")).containsExactly("1|Ativo", "2|Suspenso", "3|Vencido");
        assertThat(dimension("dim_tipo_porte")).containsExactly("1|Defesa Pessoal", "2|Funcional");
        assertThat(dimension("dim_abrangencia")).containsExactly("1|Estadual", "2|Nacional");
        assertThat(dimension("dim_ocorrencia")).containsExactly("1|Furto", "2|Roubo");

        assertThat(thordb.rows("""
                SELECT id, id_uf, id_municipio, id_especie_arma, id_marca, id_calibre, id_genero, id_status,
                       id_categoria, ano_emissao, mes_emissao, total
                FROM refined.fat_registros ORDER BY id""")).containsExactly(
                "1|4|5|2|5|2|2|1|2|2023|1|2",
                "2|3|4|3|2|1|1|3|1|2023|2|1",
                "3|2|3|2|4|5|3|1|2|2022|12|5");
        assertThat(thordb.rows("""
                SELECT id, id_uf, id_municipio, id_tipo_porte, id_status, id_abrangencia, id_especie_arma, id_marca,
                       id_calibre, id_genero, ano_emissao, mes_emissao, total
                FROM refined.fat_portes ORDER BY id""")).containsExactly(
                "1|4|1|1|1|2|2|3|4|2|2023|3|1",
                "2|3|5|2|2|1|3|5|1|1|2021|7|2");
        assertThat(thordb.rows("""
                SELECT id, id_uf, id_municipio, id_especie_arma, id_marca, id_calibre, id_ocorrencia,
                       mais_1000_mil_hab, ano_ocorrencia, mes_ocorrencia, total
                FROM refined.fat_ocorrencia ORDER BY id""")).containsExactly(
                "1|4|5|2|5|2|1|1|2023|5|3",
                "2|1|2|1|4|3|2|0|2022|6|1",
                "3|1|2|1|1|3|2|0|2022|8|1");
        assertThat(thordb.count("""
                SELECT count(*) FROM refined.fat_registros f JOIN raw.registros r USING (id)
                WHERE f.dt_carga_stg = r.dt_carga AND f.dt_carga IS NOT NULL""")).isEqualTo(3);

        assertThat(summary.tables().get("dim_uf")).isEqualTo(new RefinementSummary.Changes(4, 0, 0));
        assertThat(summary.tables().get("fat_registros")).isEqualTo(new RefinementSummary.Changes(3, 0, 0));
        assertThat(summary.rowsChanged()).isEqualTo(4 + 5 + 3 + 5 + 5 + 2 + 3 + 3 + 2 + 2 + 2 + 3 + 2 + 3);
        StarSchemaContract.check(thordb);
    }

    @Test
    void theBulkPathWritesTheSameFactsAndRestoresEveryForeignKey() throws SQLException {
        String keys = """
                SELECT conrelid::regclass, conname, pg_get_constraintdef(oid) FROM pg_constraint
                WHERE contype = 'f' AND connamespace = 'refined'::regnamespace ORDER BY 1, 2""";
        List<String> facts = List.of("fat_registros", "fat_portes", "fat_ocorrencia");
        ThorDatabase rowByRow = thordb;
        refiner.refine();

        freshThorDb();
        new Refiner(thordb.dataSource(), 1).refine();

        for (String fact : facts) {
            String content = "SELECT to_jsonb(f) - 'dt_carga' - 'dt_carga_stg' FROM refined." + fact + " f ORDER BY id";
            assertThat(thordb.rows(content)).as(fact).isNotEmpty().isEqualTo(rowByRow.rows(content));
        }
        assertThat(thordb.rows(keys)).hasSize(8 + 9 + 6).isEqualTo(rowByRow.rows(keys));
        StarSchemaContract.check(thordb);
    }

    @Test
    void newValuesGetNewIdsAndOnlyChangedFactsAreWritten() throws SQLException {
        refiner.refine();
        List<String> firstUf = dimension("dim_uf");
        List<String> firstMunicipio = dimension("dim_municipio");
        List<String> untouched = thordb.rows("SELECT id, dt_carga FROM refined.fat_registros ORDER BY id");

        thordb.execute("""
                INSERT INTO raw.registros (ano_emissao, mes_missao, uf, municipio, status_registro, especie_arma,
                                           marca_arma, calibre_arma, sexo, categoria, total) VALUES
                    (2024, 1, 'AC', 'Rio Branco', 'Ativo', 'Fuzil', 'Imbel', '7,62', 'M', 'Atirador Desportivo', 1);
                UPDATE raw.portes SET total = 9 WHERE id = 2;
                DELETE FROM raw.ocorrencias WHERE id = 3""");
        RefinementSummary second = refiner.refine();

        // AC sorts first, yet it is appended: nothing is renumbered
        assertThat(dimension("dim_uf")).startsWith(firstUf.toArray(String[]::new)).endsWith("5|AC").hasSize(5);
        assertThat(dimension("dim_municipio")).startsWith(firstMunicipio.toArray(String[]::new))
                .endsWith("6|Rio Branco");
        assertThat(dimension("dim_categoria")).containsExactly("1|Cacador", "2|Cidadao", "3|Atirador Desportivo");
        assertThat(thordb.rows("SELECT id, id_uf, id_municipio, id_especie_arma, id_marca, id_calibre, total "
                + "FROM refined.fat_registros WHERE id = 4")).containsExactly("4|5|6|4|6|6|1");
        assertThat(thordb.rows("SELECT total FROM refined.fat_portes WHERE id = 2")).containsExactly("9");
        assertThat(thordb.rows("SELECT id FROM refined.fat_ocorrencia ORDER BY id")).containsExactly("1", "2");
        assertThat(thordb.rows("SELECT id, dt_carga FROM refined.fat_registros WHERE id <= 3 ORDER BY id"))
                .isEqualTo(untouched);

        assertThat(second.tables().get("fat_registros")).isEqualTo(new RefinementSummary.Changes(1, 0, 0));
        assertThat(second.tables().get("fat_portes")).isEqualTo(new RefinementSummary.Changes(0, 1, 0));
        assertThat(second.tables().get("fat_ocorrencia")).isEqualTo(new RefinementSummary.Changes(0, 0, 1));
        assertThat(second.tables().get("dim_uf")).isEqualTo(new RefinementSummary.Changes(1, 0, 0));
        assertThat(second.tables().get("dim_status")).isEqualTo(new RefinementSummary.Changes(0, 0, 0));
        StarSchemaContract.check(thordb);

        assertThat(refiner.refine().rowsChanged()).isZero();
    }
}
