package dev.bifrost.capture.refine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.bifrost.capture.ThorDatabase;
import java.sql.SQLException;
import java.util.List;
import java.util.Map;

/**
 * The old dbt project's contract tests, as assertions on a real ThorDB: every dimension's id and description
 * are not null and unique; every fact row's foreign keys resolve; every raw row has its fact.
 */
public final class StarSchemaContract {

    private static final List<String> DIMENSIONS = List.of("dim_uf", "dim_municipio", "dim_especie_arma",
            "dim_marca", "dim_calibre", "dim_categoria", "dim_genero", "dim_status", "dim_tipo_porte",
            "dim_abrangencia", "dim_ocorrencia");

    /** Each fact's foreign key columns and the dimension each refers to. */
    private static final Map<String, Map<String, String>> KEYS = Map.of(
            "fat_registros", Map.of("id_uf", "dim_uf", "id_municipio", "dim_municipio", "id_especie_arma",
                    "dim_especie_arma", "id_marca", "dim_marca", "id_calibre", "dim_calibre", "id_genero",
                    "dim_genero", "id_status", "dim_status", "id_categoria", "dim_categoria"),
            "fat_portes", Map.of("id_uf", "dim_uf", "id_municipio", "dim_municipio", "id_tipo_porte",
                    "dim_tipo_porte", "id_status", "dim_status", "id_abrangencia", "dim_abrangencia",
                    "id_especie_arma", "dim_especie_arma", "id_marca", "dim_marca", "id_calibre", "dim_calibre",
                    "id_genero", "dim_genero"),
            "fat_ocorrencia", Map.of("id_uf", "dim_uf", "id_municipio", "dim_municipio", "id_especie_arma",
                    "dim_especie_arma", "id_marca", "dim_marca", "id_calibre", "dim_calibre", "id_ocorrencia",
                    "dim_ocorrencia"));

    private static final Map<String, String> RAW = Map.of("fat_registros", "registros", "fat_portes", "portes",
            "fat_ocorrencia", "ocorrencias");

    private StarSchemaContract() {
    }

    public static void check(ThorDatabase thordb) throws SQLException {
        for (String dimension : DIMENSIONS) {
            String table = "refined." + dimension;
            assertThat(thordb.count("SELECT count(*) FROM " + table + " WHERE id IS NULL OR descricao IS NULL"))
                    .as("null id or description in %s", dimension).isZero();
            assertThat(thordb.count("SELECT count(*) - count(DISTINCT id) FROM " + table))
                    .as("duplicate ids in %s", dimension).isZero();
            assertThat(thordb.count("SELECT count(*) - count(DISTINCT descricao) FROM " + table))
                    .as("duplicate descriptions in %s", dimension).isZero();
        }
        for (Map.Entry<String, Map<String, String>> fact : KEYS.entrySet()) {
            for (Map.Entry<String, String> key : fact.getValue().entrySet()) {
                assertThat(thordb.count("SELECT count(*) FROM refined." + fact.getKey() + " f LEFT JOIN refined."
                        + key.getValue() + " d ON d.id = f." + key.getKey() + " WHERE d.id IS NULL"))
                        .as("%s.%s rows not resolving in %s", fact.getKey(), key.getKey(), key.getValue()).isZero();
            }
            assertThat(thordb.rows("SELECT id FROM raw." + RAW.get(fact.getKey()) + " EXCEPT ALL SELECT id FROM "
                    + "refined." + fact.getKey())).as("raw rows without a fact in %s", fact.getKey()).isEmpty();
            assertThat(thordb.rows("SELECT id FROM refined." + fact.getKey() + " EXCEPT ALL SELECT id FROM raw."
                    + RAW.get(fact.getKey()))).as("facts without a raw row in %s", fact.getKey()).isEmpty();
        }
    }
}
