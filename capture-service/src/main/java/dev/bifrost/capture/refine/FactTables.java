package dev.bifrost.capture.refine;

import java.util.List;

/**
 * The SQL that keeps each fact table equal to its staged raw table. Per fact: delete the facts whose raw row
 * is gone; collect the staged rows that are new or differ from their fact (with their dimension ids) into a
 * temporary table; upsert those. Unchanged facts are not written, so their {@code dt_carga} stays the time
 * they last changed and a refresh with nothing to do replicates nothing.
 */
final class FactTables {

    /**
     * One fact table and its statements.
     *
     * @param table   the table in schema {@code refined}
     * @param delete  deletes facts without a raw row; answers the count
     * @param changes creates the temporary table of rows to upsert; answers their count
     * @param upsert  writes them; answers rows inserted and rows updated
     */
    record Fact(String table, String delete, String changes, String upsert) {
    }

    private static final String DELETE_REGISTROS = """
            DELETE FROM refined.fat_registros f
            WHERE NOT EXISTS (SELECT 1 FROM raw.registros r WHERE r.id = f.id)""";

    /** The staged rows that are new or differ from their fact, with their dimension ids. */
    private static final String CHANGES_REGISTROS = """
            CREATE TEMP TABLE refine_changes_registros ON COMMIT DROP AS
            WITH staged AS (
                SELECT s.id, uf.id AS id_uf, mu.id AS id_municipio, es.id AS id_especie_arma, ma.id AS id_marca,
                       ca.id AS id_calibre, ge.id AS id_genero, st.id AS id_status, ct.id AS id_categoria,
                       s.ano_emissao, s.mes_emissao, s.total, s.dt_carga AS dt_carga_stg
                FROM staging.stg_registros s
                JOIN refined.dim_uf uf ON uf.descricao = s.uf
                JOIN refined.dim_municipio mu ON mu.descricao = s.municipio
                JOIN refined.dim_especie_arma es ON es.descricao = s.especie_arma
                JOIN refined.dim_marca ma ON ma.descricao = s.marca_arma
                JOIN refined.dim_calibre ca ON ca.descricao = s.calibre_arma
                JOIN refined.dim_genero ge ON ge.descricao = s.sexo
                JOIN refined.dim_status st ON st.descricao = s.status_registro
                JOIN refined.dim_categoria ct ON ct.descricao = s.categoria
            ), changed AS (
                SELECT n.* FROM staged n
                LEFT JOIN refined.fat_registros f ON f.id = n.id
                WHERE f.id IS NULL
                   OR (f.id_uf, f.id_municipio, f.id_especie_arma, f.id_marca, f.id_calibre, f.id_genero,
                       f.id_status, f.id_categoria, f.ano_emissao, f.mes_emissao, f.total, f.dt_carga_stg)
                      IS DISTINCT FROM
                      (n.id_uf, n.id_municipio, n.id_especie_arma, n.id_marca, n.id_calibre, n.id_genero,
                       n.id_status, n.id_categoria, n.ano_emissao, n.mes_emissao, n.total, n.dt_carga_stg)
            )
            SELECT * FROM changed""";

    private static final String UPSERT_REGISTROS = """
            WITH written AS (
                INSERT INTO refined.fat_registros (id, id_uf, id_municipio, id_especie_arma, id_marca, id_calibre,
                                                   id_genero, id_status, id_categoria, ano_emissao, mes_emissao,
                                                   total, dt_carga, dt_carga_stg)
                SELECT id, id_uf, id_municipio, id_especie_arma, id_marca, id_calibre, id_genero, id_status,
                       id_categoria, ano_emissao, mes_emissao, total, localtimestamp, dt_carga_stg
                FROM refine_changes_registros
                ON CONFLICT (id) DO UPDATE SET
                    id_uf = excluded.id_uf, id_municipio = excluded.id_municipio,
                    id_especie_arma = excluded.id_especie_arma, id_marca = excluded.id_marca,
                    id_calibre = excluded.id_calibre, id_genero = excluded.id_genero,
                    id_status = excluded.id_status, id_categoria = excluded.id_categoria,
                    ano_emissao = excluded.ano_emissao, mes_emissao = excluded.mes_emissao,
                    total = excluded.total, dt_carga = excluded.dt_carga, dt_carga_stg = excluded.dt_carga_stg
                RETURNING xmax = 0 AS inserted)
            SELECT count(*) FILTER (WHERE inserted), count(*) FILTER (WHERE NOT inserted) FROM written""";

    private static final String DELETE_PORTES = """
            DELETE FROM refined.fat_portes f
            WHERE NOT EXISTS (SELECT 1 FROM raw.portes r WHERE r.id = f.id)""";

    /** The staged rows that are new or differ from their fact, with their dimension ids. */
    private static final String CHANGES_PORTES = """
            CREATE TEMP TABLE refine_changes_portes ON COMMIT DROP AS
            WITH staged AS (
                SELECT s.id, uf.id AS id_uf, mu.id AS id_municipio, tp.id AS id_tipo_porte, st.id AS id_status,
                       ab.id AS id_abrangencia, es.id AS id_especie_arma, ma.id AS id_marca, ca.id AS id_calibre,
                       ge.id AS id_genero, s.ano_emissao, s.mes_emissao, s.total, s.dt_carga AS dt_carga_stg
                FROM staging.stg_portes s
                JOIN refined.dim_uf uf ON uf.descricao = s.uf
                JOIN refined.dim_municipio mu ON mu.descricao = s.municipio
                JOIN refined.dim_tipo_porte tp ON tp.descricao = s.tipo
                JOIN refined.dim_status st ON st.descricao = s.status
                JOIN refined.dim_abrangencia ab ON ab.descricao = s.abrangencia
                JOIN refined.dim_especie_arma es ON es.descricao = s.especie_arma
                JOIN refined.dim_marca ma ON ma.descricao = s.marca_arma
                JOIN refined.dim_calibre ca ON ca.descricao = s.calibre_arma
                JOIN refined.dim_genero ge ON ge.descricao = s.sexo
            ), changed AS (
                SELECT n.* FROM staged n
                LEFT JOIN refined.fat_portes f ON f.id = n.id
                WHERE f.id IS NULL
                   OR (f.id_uf, f.id_municipio, f.id_tipo_porte, f.id_status, f.id_abrangencia, f.id_especie_arma,
                       f.id_marca, f.id_calibre, f.id_genero, f.ano_emissao, f.mes_emissao, f.total,
                       f.dt_carga_stg)
                      IS DISTINCT FROM
                      (n.id_uf, n.id_municipio, n.id_tipo_porte, n.id_status, n.id_abrangencia, n.id_especie_arma,
                       n.id_marca, n.id_calibre, n.id_genero, n.ano_emissao, n.mes_emissao, n.total,
                       n.dt_carga_stg)
            )
            SELECT * FROM changed""";

    private static final String UPSERT_PORTES = """
            WITH written AS (
                INSERT INTO refined.fat_portes (id, id_uf, id_municipio, id_tipo_porte, id_status, id_abrangencia,
                                                id_especie_arma, id_marca, id_calibre, id_genero, ano_emissao,
                                                mes_emissao, total, dt_carga, dt_carga_stg)
                SELECT id, id_uf, id_municipio, id_tipo_porte, id_status, id_abrangencia, id_especie_arma, id_marca,
                       id_calibre, id_genero, ano_emissao, mes_emissao, total, localtimestamp, dt_carga_stg
                FROM refine_changes_portes
                ON CONFLICT (id) DO UPDATE SET
                    id_uf = excluded.id_uf, id_municipio = excluded.id_municipio,
                    id_tipo_porte = excluded.id_tipo_porte, id_status = excluded.id_status,
                    id_abrangencia = excluded.id_abrangencia, id_especie_arma = excluded.id_especie_arma,
                    id_marca = excluded.id_marca, id_calibre = excluded.id_calibre, id_genero = excluded.id_genero,
                    ano_emissao = excluded.ano_emissao, mes_emissao = excluded.mes_emissao,
                    total = excluded.total, dt_carga = excluded.dt_carga, dt_carga_stg = excluded.dt_carga_stg
                RETURNING xmax = 0 AS inserted)
            SELECT count(*) FILTER (WHERE inserted), count(*) FILTER (WHERE NOT inserted) FROM written""";

    private static final String DELETE_OCORRENCIAS = """
            DELETE FROM refined.fat_ocorrencia f
            WHERE NOT EXISTS (SELECT 1 FROM raw.ocorrencias r WHERE r.id = f.id)""";

    /** The staged rows that are new or differ from their fact, with their dimension ids. */
    private static final String CHANGES_OCORRENCIAS = """
            CREATE TEMP TABLE refine_changes_ocorrencias ON COMMIT DROP AS
            WITH staged AS (
                SELECT s.id, uf.id AS id_uf, mu.id AS id_municipio, es.id AS id_especie_arma, ma.id AS id_marca,
                       ca.id AS id_calibre, oc.id AS id_ocorrencia, s.mais_1000_mil_hab, s.ano_ocorrencia,
                       s.mes_ocorrencia, s.total, s.dt_carga AS dt_carga_stg
                FROM staging.stg_ocorrencias s
                JOIN refined.dim_uf uf ON uf.descricao = s.uf
                JOIN refined.dim_municipio mu ON mu.descricao = s.municipio
                JOIN refined.dim_especie_arma es ON es.descricao = s.especie_arma
                JOIN refined.dim_marca ma ON ma.descricao = s.marca_arma
                JOIN refined.dim_calibre ca ON ca.descricao = s.calibre_arma
                JOIN refined.dim_ocorrencia oc ON oc.descricao = s.tipo_ocorrencia
            ), changed AS (
                SELECT n.* FROM staged n
                LEFT JOIN refined.fat_ocorrencia f ON f.id = n.id
                WHERE f.id IS NULL
                   OR (f.id_uf, f.id_municipio, f.id_especie_arma, f.id_marca, f.id_calibre, f.id_ocorrencia,
                       f.mais_1000_mil_hab, f.ano_ocorrencia, f.mes_ocorrencia, f.total, f.dt_carga_stg)
                      IS DISTINCT FROM
                      (n.id_uf, n.id_municipio, n.id_especie_arma, n.id_marca, n.id_calibre, n.id_ocorrencia,
                       n.mais_1000_mil_hab, n.ano_ocorrencia, n.mes_ocorrencia, n.total, n.dt_carga_stg)
            )
            SELECT * FROM changed""";

    private static final String UPSERT_OCORRENCIAS = """
            WITH written AS (
                INSERT INTO refined.fat_ocorrencia (id, id_uf, id_municipio, id_especie_arma, id_marca, id_calibre,
                                                    id_ocorrencia, mais_1000_mil_hab, ano_ocorrencia,
                                                    mes_ocorrencia, total, dt_carga, dt_carga_stg)
                SELECT id, id_uf, id_municipio, id_especie_arma, id_marca, id_calibre, id_ocorrencia,
                       mais_1000_mil_hab, ano_ocorrencia, mes_ocorrencia, total, localtimestamp, dt_carga_stg
                FROM refine_changes_ocorrencias
                ON CONFLICT (id) DO UPDATE SET
                    id_uf = excluded.id_uf, id_municipio = excluded.id_municipio,
                    id_especie_arma = excluded.id_especie_arma, id_marca = excluded.id_marca,
                    id_calibre = excluded.id_calibre, id_ocorrencia = excluded.id_ocorrencia,
                    mais_1000_mil_hab = excluded.mais_1000_mil_hab, ano_ocorrencia = excluded.ano_ocorrencia,
                    mes_ocorrencia = excluded.mes_ocorrencia, total = excluded.total,
                    dt_carga = excluded.dt_carga, dt_carga_stg = excluded.dt_carga_stg
                RETURNING xmax = 0 AS inserted)
            SELECT count(*) FILTER (WHERE inserted), count(*) FILTER (WHERE NOT inserted) FROM written""";

    static final List<Fact> ALL = List.of(
            new Fact("fat_registros", DELETE_REGISTROS, CHANGES_REGISTROS, UPSERT_REGISTROS),
            new Fact("fat_portes", DELETE_PORTES, CHANGES_PORTES, UPSERT_PORTES),
            new Fact("fat_ocorrencia", DELETE_OCORRENCIAS, CHANGES_OCORRENCIAS, UPSERT_OCORRENCIAS));

    private FactTables() {
    }
}
