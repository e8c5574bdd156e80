#!/usr/bin/env bash
#
# deploy/local/down.sh — stop everything deploy/local/up.sh started, in reverse order:
# apply-service, capture-service, kafka (TERM, up to 30 s, then KILL, using the PID files
# in $BIFROST_HOME/run), then the PostgreSQL servers (pg_ctl stop -m fast). Stale PID
# files are removed. The data is kept, so up.sh resumes where things were.
#
#   down.sh           stop, keep the data
#   down.sh --purge   stop, then delete $BIFROST_HOME (databases, Kafka log, logs, local.env
#                     with the generated passwords); no questions asked
#
# Honours the same BIFROST_HOME (and PG_BIN) as up.sh.
set -Eeuo pipefail

# shellcheck source-path=SCRIPTDIR source=lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

PURGE=0
case ${1:-} in
    "") ;;
    --purge) PURGE=1 ;;
    -h | --help)
        sed -n '2,/^set -Eeuo/p' "${BASH_SOURCE[0]}" | sed '$d; s/^# \{0,1\}//'
        exit 0
        ;;
    *) die "unknown argument '$1' (usage: down.sh [--purge])" ;;
esac

if [[ ! -d $BIFROST_HOME ]]; then
    log "nothing to do: $BIFROST_HOME does not exist"
    exit 0
fi
if [[ ! -f $HOME_MARKER ]]; then
    die "$BIFROST_HOME was not created by deploy/local/up.sh (no $(basename "$HOME_MARKER")); not touching it"
fi
mkdir -p "$RUN_DIR"

# The Java processes, newest first.
stop_pid apply-service
stop_pid capture-service
stop_pid kafka

# The PostgreSQL servers, in reverse start order.
PG_BIN=$(find_pg_bin)
for ((n = ${#PG_NAMES[@]} - 1; n >= 0; n--)); do
    name=${PG_NAMES[n]}
    dir=$PG_ROOT/$name
    if [[ -n $PG_BIN ]] && pg_is_running "$name"; then
        log "stopping $name (pid $(postmaster_pid "$name"))"
        if ! as_pg "$PG_BIN/pg_ctl" stop -D "$dir" -m fast -w -t 30 -s; then
            warn "$name did not stop within 30 s; stopping it with -m immediate"
            as_pg "$PG_BIN/pg_ctl" stop -D "$dir" -m immediate -w -t 30 -s ||
                warn "could not stop $name; see $LOG_DIR/$name.log"
        fi
    elif [[ -z $PG_BIN ]] && pid_matches "$(read_pid "$name")" postgres; then
        # No PostgreSQL binaries any more: SIGINT is PostgreSQL's "fast shutdown".
        pid=$(read_pid "$name")
        log "stopping $name (pid $pid) with SIGINT"
        kill -INT "$pid" 2>/dev/null || true
        for ((i = 0; i < 30; i++)); do
            kill -0 "$pid" 2>/dev/null || break
            sleep 1
        done
    elif [[ -f $RUN_DIR/$name.pid ]]; then
        log "$name is not running (removing stale PID file)"
    else
        log "$name is not running"
    fi
    rm -f "$RUN_DIR/$name.pid"
done

if ((PURGE == 1)); then
    case $BIFROST_HOME in
        / | "$REPO" | "$HOME") die "refusing to delete $BIFROST_HOME" ;;
    esac
    log "purging $BIFROST_HOME"
    rm -rf -- "$BIFROST_HOME"
    log "purged: the next up.sh starts from scratch with new passwords"
else
    log "stopped; data kept in $BIFROST_HOME (down.sh --purge deletes it)"
fi
