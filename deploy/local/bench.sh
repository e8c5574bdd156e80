#!/usr/bin/env bash
#
# deploy/local/bench.sh — benchmark Bifrost against PostgreSQL's native logical replication.
#
# Builds the project, starts fresh servers with the local runner's pieces (three PostgreSQL
# servers thordb/mjolnirdb/stormbreakerdb and a KRaft Kafka broker: BIFROST_SKIP_SERVICES=1
# deploy/local/up.sh, in a state directory and on ports of its own), runs the benchmark
# (benchmark/, dev.bifrost.bench.Benchmark), which starts and stops capture-service and
# apply-service itself, and stops everything at the end (deploy/local/down.sh).
#
# In one run, on the same servers, one system at a time, it measures Bifrost and native
# logical replication (one publication, one subscription per target server):
#   snapshot   1,000,000 pre-existing rows -> time until both targets hold them (checksummed),
#              from the start of replication (Bifrost: its capture engine; native: CREATE
#              SUBSCRIPTION), and for Bifrost also from launching capture-service
#   keep_up    500,000 inserts (transactions of 1,000 rows), 50,000 updates, 10,000 deletes
#              written as fast as the source takes them -> time until both targets equal the source
#   catch_up   the same changes written while the apply side is stopped -> time to drain
#   latency    a steady 2,000 rows/s for 60 s -> commit-to-visible p50/p95/p99/max per target
#   cost       CPU seconds of the processes doing the work, peak RSS of each Bifrost service
# Each streaming phase (keep_up, catch_up, latency) starts fresh services and measures them after a
# warm-up of 100,000 rows (x BENCH_SCALE, at least 20,000) inserted, updated and deleted, for both
# systems: a replication service's steady state, not its JIT's first seconds, is what is measured.
# It prints one table (stdout) and writes the same as JSON to $BIFROST_HOME/bench/results.json.
# BENCH_SCALE=0.05 takes about 4 minutes after the build on 2 cores; a full run, several times that.
# Progress goes to stderr, the services' logs to $BIFROST_HOME/logs/bench-<phase>-<service>.log.
#
# Environment variables (all optional):
#   BENCH_SCALE            multiplies every row count and the latency run's duration; default 1.0
#   BIFROST_HOME           state directory; default <repo>/.bifrost-bench (emptied at the start
#                          of each run, except bench/; data and logs kept after it for a look)
#   PG_PORT                thordb port; the targets use PG_PORT+1 and PG_PORT+2; default 25432
#   KAFKA_PORT             Kafka client port (controller on KAFKA_PORT+1); default 29092
#   CAPTURE_PORT           HTTP port of the benchmark's capture-service; default 28081
#   APPLY_PORT             HTTP port of the benchmark's apply-service; default 28082
#                          (the defaults differ from the local runner's and lie below Linux's
#                          ephemeral port range, so that no outgoing connection can take them)
#   BENCH_PHASES           comma-separated phases to run (snapshot,keep_up,catch_up,latency); default all
#   BENCH_SKIP_BUILD       if 1: use the jars already built
#   BENCH_MAVEN_ARGS       extra Maven arguments for the build (e.g. -o to build offline)
#   BENCH_SERVICE_JVM_OPTIONS  extra JVM options for both services, e.g. to profile them:
#                          -XX:StartFlightRecording=filename=/tmp/%p.jfr,settings=profile
#
# Exit status: 0 if every phase ran, 1 if one failed (the table says which), 2 if the run broke.
set -Eeuo pipefail

REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
export BIFROST_HOME=${BIFROST_HOME:-$REPO/.bifrost-bench}
export PG_PORT=${PG_PORT:-25432}
export KAFKA_PORT=${KAFKA_PORT:-29092}
export CAPTURE_PORT=${CAPTURE_PORT:-28081}
export APPLY_PORT=${APPLY_PORT:-28082}
export BENCH_SCALE=${BENCH_SCALE:-1.0}

# shellcheck source-path=SCRIPTDIR source=lib.sh
source "$REPO/deploy/local/lib.sh"
# stdout is for the result table only
log() { printf '[bifrost-bench] %s\n' "$*" >&2; }

if [[ ${1:-} == -h || ${1:-} == --help ]]; then
    sed -n '2,/^set -Eeuo/p' "${BASH_SOURCE[0]}" | sed '$d; s/^# \{0,1\}//'
    exit 0
fi
[[ $# == 0 ]] || die "bench.sh takes no arguments (see --help)"
if ! [[ $BENCH_SCALE =~ ^([0-9]+\.?[0-9]*|\.[0-9]+)$ ]] || ! awk "BEGIN { exit !($BENCH_SCALE > 0) }"; then
    die "BENCH_SCALE='$BENCH_SCALE' must be a positive number"
fi
case $BIFROST_HOME in
    "$REPO" | "$REPO/.bifrost" | / | "$HOME") die "BIFROST_HOME=$BIFROST_HOME is not a place for the benchmark's own servers" ;;
esac

find_java

# 1. Build (skipping tests): the service jars and the benchmark.
if [[ ${BENCH_SKIP_BUILD:-0} != 1 ]]; then
    log "building (./mvnw -B -q -DskipTests install ${BENCH_MAVEN_ARGS:-})"
    # shellcheck disable=SC2086 # BENCH_MAVEN_ARGS is a list of arguments
    (cd "$REPO" && MAVEN_OPTS=${MAVEN_OPTS:---sun-misc-unsafe-memory-access=allow} \
        ./mvnw -B -q -DskipTests ${BENCH_MAVEN_ARGS:-} install) >&2
fi
# the services as their container images run them: unpacked (see unpacked_jar in lib.sh)
export BENCH_CAPTURE_JAR BENCH_APPLY_JAR
BENCH_CAPTURE_JAR=$(unpacked_jar capture-service)
BENCH_APPLY_JAR=$(unpacked_jar apply-service)
BENCH_JAR=$(newest_exec_jar benchmark)
[[ -n $BENCH_CAPTURE_JAR && -n $BENCH_APPLY_JAR && -n $BENCH_JAR ]] ||
    die "the executable jars are missing; run without BENCH_SKIP_BUILD=1"

# 2. Fresh servers: whatever an earlier run left is stopped and deleted (its results are kept).
if [[ -f $HOME_MARKER ]]; then
    saved=
    if [[ -d $BIFROST_HOME/bench ]]; then
        saved=$(mktemp -d "${TMPDIR:-/tmp}/bifrost-bench-results.XXXXXX")
        mv "$BIFROST_HOME/bench" "$saved/"
    fi
    "$LOCAL_DIR/down.sh" --purge >/dev/null
    if [[ -n $saved ]]; then
        mkdir -p "$BIFROST_HOME"
        mv "$saved/bench" "$BIFROST_HOME/"
        rmdir "$saved"
    fi
fi

# shellcheck disable=SC2317 # called by the EXIT trap
stop_all() {
    log "stopping the benchmark's servers"
    "$LOCAL_DIR/down.sh" >&2 || warn "down.sh failed; stop what is left with BIFROST_HOME=$BIFROST_HOME $LOCAL_DIR/down.sh"
}
trap stop_all EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

log "starting PostgreSQL x3 and Kafka in $BIFROST_HOME (PG_PORT=$PG_PORT, KAFKA_PORT=$KAFKA_PORT)"
BIFROST_SKIP_SERVICES=1 "$LOCAL_DIR/up.sh" >&2

# 3. The benchmark (credentials from local.env, which up.sh wrote).
set -a
# shellcheck source=/dev/null
source "$LOCAL_ENV"
set +a
mapfile -t JVM_QUIET < <(jvm_quiet_flags)
log "running the benchmark (BENCH_SCALE=$BENCH_SCALE); progress on stderr, service logs in $LOG_DIR/bench-*.log"
status=0
"$JAVA" "${JVM_QUIET[@]}" -Xmx512m -jar "$BENCH_JAR" || status=$?
exit "$status"
