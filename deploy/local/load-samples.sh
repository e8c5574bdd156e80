#!/usr/bin/env bash
#
# deploy/local/load-samples.sh — load the three SINARM sample files shipped with capture-service
# (capture-service/src/main/resources/sinarm/: registros, portes, ocorrencias; a few thousand rows
# each in the published format) into the local ThorDB with deploy/local/ingest.sh, refining the star
# schema after each. A sample that is already loaded is skipped, so running it again is safe.
#
#   deploy/local/load-samples.sh [--replace]    (--replace loads them again over their earlier loads)
set -Eeuo pipefail

# shellcheck source-path=SCRIPTDIR source=lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

if [[ ${1:-} == -h || ${1:-} == --help ]]; then
    sed -n '2,/^set -Eeuo/p' "${BASH_SOURCE[0]}" | sed '$d; s/^# \{0,1\}//'
    exit 0
fi

SAMPLES=$REPO/capture-service/src/main/resources/sinarm
for dataset in registros portes ocorrencias; do
    status=0
    "$LOCAL_DIR/ingest.sh" "$dataset" "$SAMPLES/$dataset.csv" "$@" || status=$?
    case $status in
        0) ;;
        3) log "$dataset: the sample is already loaded; skipped (--replace loads it again)" ;;
        *) die "loading the $dataset sample failed (exit $status)" ;;
    esac
done
log "samples loaded; e.g. psql \"\$THORDB_URL\" -c 'SELECT count(*) FROM refined.fat_registros' (source $LOCAL_ENV)"
