#!/usr/bin/env bash
#
# deploy/local/ingest.sh — load one SINARM open-data CSV file into the local ThorDB, then refresh the
# refined star schema; replication carries both to every target.
#
#   deploy/local/ingest.sh DATASET FILE [--replace]
#
#   DATASET    ocorrencias | portes | registros
#   FILE       a file as published: ';'-separated, ISO-8859-1 (Latin-1), one header row
#   --replace  the same file (same dataset and SHA-256) was loaded before: replace that load's rows
#              instead of refusing
#
# Runs the capture-service jar as a one-shot command (no web server, no capture engine) with the
# connection settings of $BIFROST_HOME/local.env, written by deploy/local/up.sh; builds the jar first
# if there is none. Prints progress (rows, rows/s, percent of bytes) and a summary.
# Exit status: 0 loaded, 1 file rejected or load failed (nothing loaded), 2 usage error,
# 3 already loaded (give --replace to replace it).
set -Eeuo pipefail

# shellcheck source-path=SCRIPTDIR source=lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

usage() {
    sed -n '2,/^set -Eeuo/p' "${BASH_SOURCE[0]}" | sed '$d; s/^# \{0,1\}//'
}

if [[ ${1:-} == -h || ${1:-} == --help ]]; then
    usage
    exit 0
fi
if (($# < 2 || $# > 3)) || { (($# == 3)) && [[ $3 != --replace ]]; }; then
    usage >&2
    exit 2
fi
DATASET=$1
FILE=$2
[[ -f $FILE ]] || die "no such file: $FILE"

[[ -f $LOCAL_ENV ]] || die "no $LOCAL_ENV: start the local stack first (deploy/local/up.sh)"
DB_PASSWORD=$(
    set +eu
    # shellcheck disable=SC1090
    source "$LOCAL_ENV" >/dev/null 2>&1
    printf '%s' "${BIFROST_DB_PASSWORD:-}"
)
[[ -n $DB_PASSWORD ]] || die "$LOCAL_ENV has no BIFROST_DB_PASSWORD; run deploy/local/up.sh"
port_open "$(pg_port thordb)" || die "thordb does not answer on 127.0.0.1:$(pg_port thordb); start it with deploy/local/up.sh"

find_java
# as up.sh runs the service: unpacked (see unpacked_jar in lib.sh)
jar=$(unpacked_jar capture-service)
if [[ -z $jar ]]; then
    log "building capture-service (./mvnw -B -q -DskipTests -pl capture-service -am package)"
    (cd "$REPO" && MAVEN_OPTS=${MAVEN_OPTS:---sun-misc-unsafe-memory-access=allow} \
        ./mvnw -B -q -DskipTests -pl capture-service -am package) || die "the build failed"
    jar=$(unpacked_jar capture-service)
fi

mapfile -t JVM_QUIET < <(jvm_quiet_flags)
exec env THORDB_HOST=127.0.0.1 THORDB_PORT="$(pg_port thordb)" THORDB_DB=thordb THORDB_USER="$DB_USER" \
    THORDB_PASSWORD="$DB_PASSWORD" \
    "$JAVA" "${JVM_QUIET[@]}" -Xmx512m -jar "$jar" ingest --dataset "$DATASET" --file "$FILE" "${@:3}"
