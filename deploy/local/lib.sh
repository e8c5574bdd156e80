# shellcheck shell=bash disable=SC2034  # the variables are used by up.sh and down.sh
#
# Shared settings and helpers for the scripts of deploy/local (up.sh, down.sh, bench.sh, ...).
# Sourced, never executed. See up.sh for the environment variables it honours.

# ---------------------------------------------------------------------------
# Settings (environment variables with defaults)
# ---------------------------------------------------------------------------
REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
LOCAL_DIR=$REPO/deploy/local

BIFROST_HOME=${BIFROST_HOME:-$REPO/.bifrost}
PG_PORT=${PG_PORT:-55432}
KAFKA_PORT=${KAFKA_PORT:-59092}
CAPTURE_PORT=${CAPTURE_PORT:-8081}
APPLY_PORT=${APPLY_PORT:-8082}
KAFKA_CONTROLLER_PORT=$((KAFKA_PORT + 1))

for _v in PG_PORT KAFKA_PORT CAPTURE_PORT APPLY_PORT; do
    if ! [[ ${!_v} =~ ^[0-9]+$ ]] || ((${!_v} < 1 || ${!_v} > 65533)); then
        echo "error: $_v='${!_v}' is not a valid port number" >&2
        exit 1
    fi
done
unset _v

# Make BIFROST_HOME absolute (it ends up in config files and in PID checks).
case $BIFROST_HOME in
    /*) ;;
    *) BIFROST_HOME=$PWD/$BIFROST_HOME ;;
esac

RUN_DIR=$BIFROST_HOME/run
LOG_DIR=$BIFROST_HOME/logs
PG_ROOT=$BIFROST_HOME/pg
KAFKA_HOME=$BIFROST_HOME/kafka
LOCAL_ENV=$BIFROST_HOME/local.env
# up.sh creates this file; down.sh --purge refuses to delete a directory without it.
HOME_MARKER=$BIFROST_HOME/.bifrost-local-home

# The three PostgreSQL servers, in start order; database name == server name.
PG_NAMES=(thordb mjolnirdb stormbreakerdb)
DB_USER=bifrost

# Preferred JDK (the project is built with JDK 25).
PREFERRED_JAVA_HOME=/usr/lib/jvm/temurin-25-jdk-amd64

# ---------------------------------------------------------------------------
# Output helpers
# ---------------------------------------------------------------------------
log() { printf '[bifrost-local] %s\n' "$*"; }
warn() { printf '[bifrost-local] WARNING: %s\n' "$*" >&2; }
die() {
    printf '[bifrost-local] ERROR: %s\n' "$*" >&2
    exit 1
}

# show_log_tail FILE: print the last 30 lines of a log file to stderr.
show_log_tail() {
    local file=$1
    if [[ -s $file ]]; then
        printf -- '----- last 30 lines of %s -----\n' "$file" >&2
        tail -n 30 "$file" >&2
        printf -- '----- end of %s -----\n' "$file" >&2
    else
        printf '(no log output in %s)\n' "$file" >&2
    fi
}

# fail_piece NAME HINT: report that a piece failed, show its log, say what to do, exit 1.
fail_piece() {
    local name=$1 hint=$2
    printf '\n[bifrost-local] FAILED: %s\n' "$name" >&2
    show_log_tail "$LOG_DIR/$name.log"
    printf '[bifrost-local] What to do: %s\n' "$hint" >&2
    printf '[bifrost-local] Full logs: %s\n' "$LOG_DIR" >&2
    exit 1
}

# ---------------------------------------------------------------------------
# Ports and processes
# ---------------------------------------------------------------------------

# pg_port NAME: the TCP port of one PostgreSQL server.
pg_port() {
    case $1 in
        thordb) echo "$PG_PORT" ;;
        mjolnirdb) echo $((PG_PORT + 1)) ;;
        stormbreakerdb) echo $((PG_PORT + 2)) ;;
        *) die "unknown PostgreSQL server '$1'" ;;
    esac
}

# port_open PORT: true if something accepts TCP connections on 127.0.0.1:PORT.
port_open() {
    # shellcheck disable=SC2016 # $1 is expanded by the inner bash
    timeout 2 bash -c 'exec 3<>"/dev/tcp/127.0.0.1/$1"' _ "$1" 2>/dev/null
}

# read_pid NAME: print the PID recorded in $RUN_DIR/NAME.pid (nothing if none).
read_pid() {
    local file=$RUN_DIR/$1.pid pid
    [[ -f $file ]] || return 0
    read -r pid <"$file" || true
    [[ $pid =~ ^[0-9]+$ ]] && echo "$pid"
    return 0
}

# pid_matches PID MARKER: true if PID is alive and its command line contains MARKER
# (guards against a recycled PID belonging to an unrelated process).
pid_matches() {
    local pid=$1 marker=$2 cmdline
    [[ -n $pid ]] || return 1
    kill -0 "$pid" 2>/dev/null || return 1
    cmdline=$(tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null) || return 1
    [[ $cmdline == *"$marker"* ]]
}

# proc_marker NAME: the string that identifies a process we started.
proc_marker() {
    case $1 in
        kafka) echo "kafka.Kafka" ;;
        capture-service) echo "capture-service" ;;
        apply-service) echo "apply-service" ;;
        *) echo "postgres" ;;
    esac
}

# is_running NAME: true if the recorded PID of a Java piece is alive.
is_running() {
    pid_matches "$(read_pid "$1")" "$(proc_marker "$1")"
}

# stop_pid NAME: TERM the recorded process, wait up to 30 s, then KILL; drop the PID file.
stop_pid() {
    local name=$1 pid i
    pid=$(read_pid "$name")
    if pid_matches "$pid" "$(proc_marker "$name")"; then
        log "stopping $name (pid $pid)"
        kill -TERM "$pid" 2>/dev/null || true
        for ((i = 0; i < 30; i++)); do
            kill -0 "$pid" 2>/dev/null || break
            sleep 1
        done
        if kill -0 "$pid" 2>/dev/null; then
            warn "$name (pid $pid) did not stop within 30 s; sending KILL"
            kill -KILL "$pid" 2>/dev/null || true
            sleep 1
        fi
    elif [[ -f $RUN_DIR/$name.pid ]]; then
        log "$name is not running (removing stale PID file)"
    else
        log "$name is not running"
    fi
    rm -f "$RUN_DIR/$name.pid"
}

# ---------------------------------------------------------------------------
# PostgreSQL
# ---------------------------------------------------------------------------

# find_pg_bin: print the newest /usr/lib/postgresql/N/bin (or $PG_BIN); nothing if none.
find_pg_bin() {
    if [[ -n ${PG_BIN:-} ]]; then
        [[ -x $PG_BIN/pg_ctl ]] || die "PG_BIN=$PG_BIN has no pg_ctl"
        echo "$PG_BIN"
        return 0
    fi
    local dir
    dir=$(find /usr/lib/postgresql -mindepth 2 -maxdepth 2 -name bin -type d 2>/dev/null |
        sort -t/ -k5,5n | tail -n 1)
    if [[ -n $dir && -x $dir/pg_ctl ]]; then
        echo "$dir"
    fi
    return 0
}

# as_pg CMD...: run a PostgreSQL server command as the `postgres` OS user when we are root
# (initdb and pg_ctl refuse to run as root), or as ourselves otherwise.
as_pg() {
    if ((EUID == 0)); then
        runuser -u postgres -- "$@"
    else
        "$@"
    fi
}

# pg_is_running NAME: true if `pg_ctl status` says the server of NAME is up.
pg_is_running() {
    local dir=$PG_ROOT/$1
    [[ -f $dir/PG_VERSION ]] || return 1
    as_pg "$PG_BIN/pg_ctl" status -D "$dir" >/dev/null 2>&1
}

# postmaster_pid NAME: the postmaster PID from postmaster.pid (nothing if absent).
postmaster_pid() {
    local file=$PG_ROOT/$1/postmaster.pid pid
    [[ -f $file ]] || return 0
    read -r pid <"$file" || true
    [[ $pid =~ ^[0-9]+$ ]] && echo "$pid"
    return 0
}

# ---------------------------------------------------------------------------
# Java
# ---------------------------------------------------------------------------

# find_java: set JAVA (the java launcher) and JAVA_HOME if we can tell.
find_java() {
    if [[ -x $PREFERRED_JAVA_HOME/bin/java ]]; then
        export JAVA_HOME=$PREFERRED_JAVA_HOME
    fi
    if [[ -n ${JAVA_HOME:-} && -x $JAVA_HOME/bin/java ]]; then
        JAVA=$JAVA_HOME/bin/java
    elif command -v java >/dev/null 2>&1; then
        JAVA=$(command -v java)
    else
        die "no Java found: install JDK 21+ (the project builds with JDK 25 at $PREFERRED_JAVA_HOME)"
    fi
}

# java_major: the feature version of $JAVA (e.g. 25).
java_major() {
    "$JAVA" -XshowSettings:properties -version 2>&1 |
        sed -n 's/^ *java\.specification\.version = \([0-9]*\).*/\1/p' | head -n 1
}

# newest_exec_jar MODULE: the module's executable jar (nothing if it is not built).
newest_exec_jar() {
    find "$REPO/$1/target" -maxdepth 1 -name "$1-*-exec.jar" -printf '%T@ %p\n' 2>/dev/null |
        sort -n | tail -n 1 | cut -d' ' -f2-
}

# unpacked_jar MODULE: the module's executable jar unpacked as the container image runs it (Spring Boot's
# `extract`: a plain MODULE.jar whose manifest puts lib/*.jar on the class path; classes load faster than
# from the nested jars of the executable one), in MODULE/target/app; unpacked again when the executable jar
# is newer. Prints the plain jar's path; nothing if the module is not built.
unpacked_jar() {
    local module=$1 jar dir
    jar=$(newest_exec_jar "$module")
    [[ -n $jar ]] || return 0
    dir=$REPO/$module/target/app
    if [[ ! -f $dir/$module.jar || $jar -nt $dir/$module.jar ]]; then
        # into a fresh directory first, so that an interrupted unpacking is never taken for a finished one
        # (Spring Boot's tool reports some errors on stdout with a zero exit status: hence the check after it)
        local tmp=$dir.tmp.$$
        rm -rf "$tmp"
        "$JAVA" -Djarmode=tools -jar "$jar" extract --destination "$tmp" --application-filename "$module.jar" >&2 &&
            [[ -f $tmp/$module.jar ]] || die "cannot unpack $jar into $tmp (see the message above)"
        rm -rf "$dir"
        mv "$tmp" "$dir"
    fi
    printf '%s\n' "$dir/$module.jar"
}

# jvm_quiet_flags: flags that silence JDK 23+/24+ warnings (Unsafe, JNI) if supported.
jvm_quiet_flags() {
    local major
    major=$(java_major)
    if [[ -n $major ]] && ((major >= 23)); then
        printf '%s\n' --sun-misc-unsafe-memory-access=allow
    fi
    if [[ -n $major ]] && ((major >= 22)); then
        printf '%s\n' --enable-native-access=ALL-UNNAMED
    fi
}
