-- The refined star schema (the successor of the old dbt project), built from the raw tables by
-- dev.bifrost.capture.refine.Refiner.
--
-- Staging views (schema staging, not published) apply the old staging rules: blank, empty or NULL
-- descriptive values become 'N/A' (the rule of uf, municipio, especie_arma, marca_arma, calibre_arma and
-- sexo, extended here to every column a dimension is built from, so that no fact key is NULL);
-- mes_missao becomes mes_emissao; mais_1000_mil_hab 'S' becomes 1, anything else 0.
--
-- Dimensions keep a value's id forever: ids come from an identity, new values are appended, nothing is
-- renumbered or deleted. Facts are keyed by the raw row's id and refreshed incrementally (upserts and
-- deletes in one transaction), so the star schema replicates as ordinary row changes.

CREATE SCHEMA IF NOT EXISTS staging;

CREATE VIEW staging.stg_registros AS
SELECT id,
       ano_emissao,
       mes_missao                                         AS mes_emissao,
       coalesce(nullif(btrim(uf), ''), 'N/A')              AS uf,
       coalesce(nullif(btrim(municipio), ''), 'N/A')       AS municipio,
       coalesce(nullif(btrim(status_registro), ''), 'N/A') AS status_registro,
       coalesce(nullif(btrim(especie_arma), ''), 'N/A')    AS especie_arma,
       coalesce(nullif(btrim(marca_arma), ''), 'N/A')      AS marca_arma,
       coalesce(nullif(btrim(calibre_arma), ''), 'N/A')    AS calibre_arma,
       coalesce(nullif(btrim(sexo), ''), 'N/A')            AS sexo,
       coalesce(nullif(btrim(categoria), ''), 'N/A')       AS categoria,
       total,
       dt_carga
FROM raw.registros;

CREATE VIEW staging.stg_portes AS
SELECT id,
       ano_emissao,
       mes_missao                                      AS mes_emissao,
       coalesce(nullif(btrim(uf), ''), 'N/A')           AS uf,
       coalesce(nullif(btrim(municipio), ''), 'N/A')    AS municipio,
       coalesce(nullif(btrim(tipo), ''), 'N/A')         AS tipo,
       coalesce(nullif(btrim(status), ''), 'N/A')       AS status,
       coalesce(nullif(btrim(abrangencia), ''), 'N/A')  AS abrangencia,
       coalesce(nullif(btrim(especie_arma), ''), 'N/A') AS especie_arma,
       coalesce(nullif(btrim(marca_arma), ''), 'N/A')   AS marca_arma,
       coalesce(nullif(btrim(calibre_arma), ''), 'N/A') AS calibre_arma,
       coalesce(nullif(btrim(sexo), ''), 'N/A')         AS sexo,
       total,
       dt_carga
FROM raw.portes;

CREATE VIEW staging.stg_ocorrencias AS
SELECT id,
       ano_ocorrencia,
       mes_ocorrencia,
       coalesce(nullif(btrim(uf), ''), 'N/A')                             AS uf,
       coalesce(nullif(btrim(municipio), ''), 'N/A')                      AS municipio,
       coalesce(nullif(btrim(especie_arma), ''), 'N/A')                   AS especie_arma,
       coalesce(nullif(btrim(marca_arma), ''), 'N/A')                     AS marca_arma,
       coalesce(nullif(btrim(calibre_arma), ''), 'N/A')                   AS calibre_arma,
       coalesce(nullif(btrim(tipo_ocorrencia), ''), 'N/A')                AS tipo_ocorrencia,
       CASE WHEN upper(btrim(mais_1000_mil_hab)) = 'S' THEN 1 ELSE 0 END AS mais_1000_mil_hab,
       total,
       dt_carga
FROM raw.ocorrencias;

-- federal units (UF)
CREATE TABLE refined.dim_uf (
    id        bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    descricao text NOT NULL UNIQUE,
    dt_carga  timestamp NOT NULL DEFAULT localtimestamp
);

-- municipalities
CREATE TABLE refined.dim_municipio (
    id        bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    descricao text NOT NULL UNIQUE,
    dt_carga  timestamp NOT NULL DEFAULT localtimestamp
);

-- firearm species
CREATE TABLE refined.dim_especie_arma (
    id        bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    descricao text NOT NULL UNIQUE,
    dt_carga  timestamp NOT NULL DEFAULT localtimestamp
);

-- firearm brands
CREATE TABLE refined.dim_marca (
    id        bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    descricao text NOT NULL UNIQUE,
    dt_carga  timestamp NOT NULL DEFAULT localtimestamp
);

-- calibres
CREATE TABLE refined.dim_calibre (
    id        bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    descricao text NOT NULL UNIQUE,
    dt_carga  timestamp NOT NULL DEFAULT localtimestamp
);

-- owner categories (registros)
CREATE TABLE refined.dim_categoria (
    id        bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    descricao text NOT NULL UNIQUE,
    dt_carga  timestamp NOT NULL DEFAULT localtimestamp
);

-- sex of the holder (registros, portes)
CREATE TABLE refined.dim_genero (
    id        bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    descricao text NOT NULL UNIQUE,
    dt_carga  timestamp NOT NULL DEFAULT localtimestamp
);

-- status (portes.status, registros.status_registro)
CREATE TABLE refined.dim_status (
    id        bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    descricao text NOT NULL UNIQUE,
    dt_carga  timestamp NOT NULL DEFAULT localtimestamp
);

-- carry permit types (portes)
CREATE TABLE refined.dim_tipo_porte (
    id        bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    descricao text NOT NULL UNIQUE,
    dt_carga  timestamp NOT NULL DEFAULT localtimestamp
);

-- carry permit scopes (portes)
CREATE TABLE refined.dim_abrangencia (
    id        bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    descricao text NOT NULL UNIQUE,
    dt_carga  timestamp NOT NULL DEFAULT localtimestamp
);

-- occurrence types (ocorrencias)
CREATE TABLE refined.dim_ocorrencia (
    id        bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    descricao text NOT NULL UNIQUE,
    dt_carga  timestamp NOT NULL DEFAULT localtimestamp
);

-- Facts: id is the raw row's id; dt_carga is when the fact row last changed, dt_carga_stg the raw row's
-- load time.
CREATE TABLE refined.fat_registros (
    id               bigint PRIMARY KEY,
    id_uf            bigint NOT NULL REFERENCES refined.dim_uf (id),
    id_municipio     bigint NOT NULL REFERENCES refined.dim_municipio (id),
    id_especie_arma  bigint NOT NULL REFERENCES refined.dim_especie_arma (id),
    id_marca         bigint NOT NULL REFERENCES refined.dim_marca (id),
    id_calibre       bigint NOT NULL REFERENCES refined.dim_calibre (id),
    id_genero        bigint NOT NULL REFERENCES refined.dim_genero (id),
    id_status        bigint NOT NULL REFERENCES refined.dim_status (id),
    id_categoria     bigint NOT NULL REFERENCES refined.dim_categoria (id),
    ano_emissao      int,
    mes_emissao      int,
    total            int,
    dt_carga         timestamp NOT NULL,
    dt_carga_stg     timestamp
);

CREATE TABLE refined.fat_portes (
    id               bigint PRIMARY KEY,
    id_uf            bigint NOT NULL REFERENCES refined.dim_uf (id),
    id_municipio     bigint NOT NULL REFERENCES refined.dim_municipio (id),
    id_tipo_porte    bigint NOT NULL REFERENCES refined.dim_tipo_porte (id),
    id_status        bigint NOT NULL REFERENCES refined.dim_status (id),
    id_abrangencia   bigint NOT NULL REFERENCES refined.dim_abrangencia (id),
    id_especie_arma  bigint NOT NULL REFERENCES refined.dim_especie_arma (id),
    id_marca         bigint NOT NULL REFERENCES refined.dim_marca (id),
    id_calibre       bigint NOT NULL REFERENCES refined.dim_calibre (id),
    id_genero        bigint NOT NULL REFERENCES refined.dim_genero (id),
    ano_emissao      int,
    mes_emissao      int,
    total            int,
    dt_carga         timestamp NOT NULL,
    dt_carga_stg     timestamp
);

CREATE TABLE refined.fat_ocorrencia (
    id                bigint PRIMARY KEY,
    id_uf             bigint NOT NULL REFERENCES refined.dim_uf (id),
    id_municipio      bigint NOT NULL REFERENCES refined.dim_municipio (id),
    id_especie_arma   bigint NOT NULL REFERENCES refined.dim_especie_arma (id),
    id_marca          bigint NOT NULL REFERENCES refined.dim_marca (id),
    id_calibre        bigint NOT NULL REFERENCES refined.dim_calibre (id),
    id_ocorrencia     bigint NOT NULL REFERENCES refined.dim_ocorrencia (id),
    mais_1000_mil_hab int NOT NULL,
    ano_ocorrencia    int,
    mes_ocorrencia    int,
    total             int,
    dt_carga          timestamp NOT NULL,
    dt_carga_stg      timestamp
);
