#!/usr/bin/env bash
#
# deploy/local/bench-ingest.sh — the ingestion benchmark: generates a registros file of 1,000,000 rows
# in the published format (';'-separated, ISO-8859-1), loads it into a fresh ThorDB on a throwaway
# PostgreSQL server (the test fixture: local binaries, fsync off) and refines it, then prints the load
# and refine times and rows per second. Needs the PostgreSQL server binaries (apt-get install postgresql).
#
#   deploy/local/bench-ingest.sh              1,000,000 rows
#   BENCH_ROWS=200000 deploy/local/bench-ingest.sh
#   deploy/local/bench-ingest.sh -o           extra arguments go to Maven (-o: offline)
set -Eeuo pipefail

# shellcheck source-path=SCRIPTDIR source=lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

if [[ ${1:-} == -h || ${1:-} == --help ]]; then
    sed -n '2,/^set -Eeuo/p' "${BASH_SOURCE[0]}" | sed '$d; s/^# \{0,1\}//'
    exit 0
fi

find_java
ROWS=${BENCH_ROWS:-1000000}
[[ $ROWS =~ ^[0-9]+$ ]] || die "BENCH_ROWS='$ROWS' is not a number"
log "running IngestBenchmarkIT with $ROWS rows (Maven output in $REPO/capture-service/target/bench-ingest.log)"
mkdir -p "$REPO/capture-service/target"
if ! (cd "$REPO" && MAVEN_OPTS=${MAVEN_OPTS:---sun-misc-unsafe-memory-access=allow} ./mvnw -B "$@" \
    -pl capture-service -am verify -Dtest=NoSuchTest -Dsurefire.failIfNoSpecifiedTests=false \
    -Dit.test=IngestBenchmarkIT -Dfailsafe.failIfNoSpecifiedTests=false \
    -Dbifrost.bench=true -Dbifrost.bench.rows="$ROWS") >"$REPO/capture-service/target/bench-ingest.log.tmp" 2>&1; then
    mv -f "$REPO/capture-service/target/bench-ingest.log.tmp" "$REPO/capture-service/target/bench-ingest.log"
    tail -n 40 "$REPO/capture-service/target/bench-ingest.log" >&2
    die "the benchmark failed; see $REPO/capture-service/target/bench-ingest.log"
fi
mv -f "$REPO/capture-service/target/bench-ingest.log.tmp" "$REPO/capture-service/target/bench-ingest.log"
grep -h '\[ingest-benchmark\]' "$REPO"/capture-service/target/failsafe-reports/*IngestBenchmarkIT-output.txt
