#!/usr/bin/env bash
# MjolnirDB / StormbreakerDB first-start initialisation (run once by the postgres image's
# entrypoint, from /docker-entrypoint-initdb.d, on an empty data directory, as the bootstrap
# superuser).
#
# apply-service logs in as the non-superuser role bifrost_apply, which owns the database: it
# creates the schemas and tables it replicates into (and its bifrost.apply_position and
# bifrost.dead_letter tables) itself.
#
# Environment: POSTGRES_USER, POSTGRES_DB (set by the image), BIFROST_APPLY_PASSWORD (compose).
set -eo pipefail

: "${BIFROST_APPLY_PASSWORD:?BIFROST_APPLY_PASSWORD must be set (deploy/.env)}"

psql -v ON_ERROR_STOP=1 --no-psqlrc --username "$POSTGRES_USER" --dbname "$POSTGRES_DB" \
     -v db="$POSTGRES_DB" -v apply_password="$BIFROST_APPLY_PASSWORD" <<'SQL'
CREATE ROLE bifrost_apply LOGIN PASSWORD :'apply_password';
ALTER DATABASE :"db" OWNER TO bifrost_apply;
SQL
