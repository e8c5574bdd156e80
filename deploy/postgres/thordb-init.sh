#!/usr/bin/env bash
# ThorDB first-start initialisation (run once by the postgres image's entrypoint, from
# /docker-entrypoint-initdb.d, on an empty data directory, as the bootstrap superuser).
#
# capture-service logs in as the non-superuser role bifrost_capture: REPLICATION for the logical
# replication slot, owner of the schemas it writes (raw, refined; bifrost holds Flyway's history
# and Debezium's offsets), CREATE on the database because it runs CREATE SCHEMA IF NOT EXISTS
# (PostgreSQL checks that privilege even when the schema exists).
# The publication FOR TABLES IN SCHEMA needs a superuser (PostgreSQL 15+), so it is created here;
# capture-service only checks that it exists and covers both schemas. So does the DDL event trigger
# (capture-service's db/ddl/ddl-capture.sql, mounted beside this script as 20-ddl-capture.sql), which
# puts schema changes into the WAL stream; capture-service refuses to stream without it.
#
# Environment: POSTGRES_USER, POSTGRES_DB (set by the image), THORDB_CAPTURE_PASSWORD (compose).
set -eo pipefail

: "${THORDB_CAPTURE_PASSWORD:?THORDB_CAPTURE_PASSWORD must be set (deploy/.env)}"

# Values go in as psql variables (:'literal', :"identifier"): quoted by psql, never spliced by the shell.
psql -v ON_ERROR_STOP=1 --no-psqlrc --username "$POSTGRES_USER" --dbname "$POSTGRES_DB" \
     -v db="$POSTGRES_DB" -v capture_password="$THORDB_CAPTURE_PASSWORD" <<'SQL'
CREATE ROLE bifrost_capture LOGIN REPLICATION PASSWORD :'capture_password';
GRANT CONNECT, CREATE, TEMPORARY ON DATABASE :"db" TO bifrost_capture;

CREATE SCHEMA raw AUTHORIZATION bifrost_capture;
CREATE SCHEMA refined AUTHORIZATION bifrost_capture;
CREATE SCHEMA bifrost AUTHORIZATION bifrost_capture;

CREATE PUBLICATION bifrost FOR TABLES IN SCHEMA raw, refined;
SQL
