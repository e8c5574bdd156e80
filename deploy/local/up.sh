#!/usr/bin/env bash
#
# deploy/local/up.sh — run the whole Bifrost pipeline on this machine, without Docker.
#
#   thordb (PostgreSQL) --> capture-service --> Kafka --> apply-service --> mjolnirdb
#                                                                      \--> stormbreakerdb
#
# Starts, each only if it is not already running (so running it again is safe):
#   * three PostgreSQL servers from the local binaries (newest /usr/lib/postgresql/N/bin,
#     or $PG_BIN; installs the `postgresql` Debian package if there is none), run as the
#     `postgres` OS user, listening on 127.0.0.1 only, password (scram-sha-256) login for
#     the role `bifrost`:
#        thordb on $PG_PORT, mjolnirdb on $PG_PORT+1, stormbreakerdb on $PG_PORT+2
#   * a single-node KRaft Kafka broker (broker+controller in one JVM) from the Apache Kafka
#     jars on Maven Central (fetched once through deploy/local/kafka/pom.xml)
#   * capture-service and apply-service (executable jars; built with ./mvnw first if
#     missing or older than the sources)
# then waits until every piece is ready and replication is live, and prints where
# everything listens.
#
# Generated secrets (database password, admin user/password) and connection URLs are kept
# in $BIFROST_HOME/local.env (mode 600; `source` it, or `psql "$THORDB_URL"`). They are
# generated on the first start and kept afterwards.
#
# Environment variables (all optional):
#   BIFROST_HOME           state directory (data, logs, PID files, local.env); default <repo>/.bifrost
#   PG_PORT                thordb port; mjolnirdb = PG_PORT+1, stormbreakerdb = PG_PORT+2; default 55432
#   KAFKA_PORT             Kafka client port; the KRaft controller uses KAFKA_PORT+1; default 59092
#   CAPTURE_PORT           capture-service HTTP port; default 8081
#   APPLY_PORT             apply-service HTTP port; default 8082
#   PG_BIN                 directory holding pg_ctl/initdb/psql to use instead of the newest installed
#   BIFROST_SKIP_SERVICES  if 1: only PostgreSQL and Kafka; do not build or start the two services
#   BIFROST_WAIT_SECONDS   how long to wait for each service to become healthy; default 180
#
# Stop everything with deploy/local/down.sh (keeps data), or down.sh --purge (deletes it).
# Logs: $BIFROST_HOME/logs/<name>.log; PIDs: $BIFROST_HOME/run/<name>.pid, for
# name in thordb, mjolnirdb, stormbreakerdb, kafka, capture-service, apply-service.
set -Eeuo pipefail

# shellcheck source-path=SCRIPTDIR source=lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

if [[ ${1:-} == -h || ${1:-} == --help ]]; then
    sed -n '2,/^set -Eeuo/p' "${BASH_SOURCE[0]}" | sed '$d; s/^# \{0,1\}//'
    exit 0
fi

SKIP_SERVICES=${BIFROST_SKIP_SERVICES:-0}
WAIT_SECONDS=${BIFROST_WAIT_SECONDS:-180}

# The piece being worked on, for the error report of the ERR trap below.
CURRENT_PIECE=setup
on_error() {
    local status=$? line=$1
    printf '\n[bifrost-local] FAILED: %s (command at up.sh line %s exited with %s)\n' \
        "$CURRENT_PIECE" "$line" "$status" >&2
    if [[ -f $LOG_DIR/$CURRENT_PIECE.log ]]; then
        show_log_tail "$LOG_DIR/$CURRENT_PIECE.log"
    fi
    printf '[bifrost-local] What to do: fix the cause shown above, then run %s again (it only starts what is not running).\n' \
        "$0" >&2
    exit "$status"
}
trap 'on_error $LINENO' ERR

# ---------------------------------------------------------------------------
# 0. Prerequisites and state directory
# ---------------------------------------------------------------------------
need_root_for_install() {
    ((EUID == 0)) || die "$1 is missing and only root can install it (apt-get install -y $2)"
}

apt_updated=0
apt_install() {
    need_root_for_install "$1" "$2"
    log "installing Debian package(s): $2"
    if ((apt_updated == 0)); then
        apt-get update -qq
        apt_updated=1
    fi
    # shellcheck disable=SC2086 # $2 is a list of package names
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $2
}

command -v curl >/dev/null 2>&1 || apt_install curl curl
command -v setsid >/dev/null 2>&1 || apt_install setsid util-linux
find_java

mkdir -p "$BIFROST_HOME" "$RUN_DIR" "$LOG_DIR"
touch "$HOME_MARKER"

# Kafka's metadata log records the controller's address when it is formatted, so its
# ports cannot change afterwards (checked before anything is started or written).
FORMATTED=$KAFKA_HOME/formatted.env
if [[ -f $FORMATTED ]]; then
    formatted_port=$(sed -n 's/^KAFKA_PORT=//p' "$FORMATTED")
    if [[ $formatted_port != "$KAFKA_PORT" ]]; then
        die "Kafka's data in $KAFKA_HOME/data was formatted for KAFKA_PORT=$formatted_port; run with KAFKA_PORT=$formatted_port, or deploy/local/down.sh --purge to start from scratch."
    fi
fi

# ---------------------------------------------------------------------------
# 1. Secrets and local.env
# ---------------------------------------------------------------------------
CURRENT_PIECE=local.env

# env_value KEY: the value of KEY in an existing local.env (empty if absent).
env_value() {
    [[ -f $LOCAL_ENV ]] || return 0
    # Sourced in a subshell so that nothing else from the file leaks into this script.
    (
        trap - ERR
        set +eu
        # shellcheck disable=SC1090
        source "$LOCAL_ENV" >/dev/null 2>&1
        printf '%s' "${!1:-}"
    )
}

random_secret() { head -c 16 /dev/urandom | od -An -tx1 | tr -d ' \n'; }

DB_PASSWORD=$(env_value BIFROST_DB_PASSWORD)
ADMIN_USER=$(env_value BIFROST_ADMIN_USER)
ADMIN_PASSWORD=$(env_value BIFROST_ADMIN_PASSWORD)

if [[ -z $DB_PASSWORD ]]; then
    for name in "${PG_NAMES[@]}"; do
        if [[ -f $PG_ROOT/$name/PG_VERSION ]]; then
            die "$PG_ROOT/$name holds data but $LOCAL_ENV has no BIFROST_DB_PASSWORD, so its password is unknown. Put the password back into $LOCAL_ENV, or run deploy/local/down.sh --purge to start from scratch."
        fi
    done
    DB_PASSWORD=$(random_secret)
    log "generated a new database password (kept in $LOCAL_ENV)"
fi
ADMIN_USER=${ADMIN_USER:-admin}
if [[ -z $ADMIN_PASSWORD ]]; then
    ADMIN_PASSWORD=$(random_secret)
    log "generated a new admin password (kept in $LOCAL_ENV)"
fi

THORDB_URL=postgresql://$DB_USER:$DB_PASSWORD@127.0.0.1:$(pg_port thordb)/thordb
MJOLNIRDB_URL=postgresql://$DB_USER:$DB_PASSWORD@127.0.0.1:$(pg_port mjolnirdb)/mjolnirdb
STORMBREAKERDB_URL=postgresql://$DB_USER:$DB_PASSWORD@127.0.0.1:$(pg_port stormbreakerdb)/stormbreakerdb
KAFKA_BOOTSTRAP=127.0.0.1:$KAFKA_PORT
CAPTURE_URL=http://127.0.0.1:$CAPTURE_PORT
APPLY_URL=http://127.0.0.1:$APPLY_PORT

# Rewritten on every run (ports may differ), keeping the secrets read above.
write_local_env() {
    local tmp
    tmp=$(mktemp "$BIFROST_HOME/.local.env.XXXXXX")
    chmod 600 "$tmp"
    {
        echo "# Bifrost local runner: generated by deploy/local/up.sh; source this file."
        echo "# The secrets are generated once and kept; delete them only together with the data"
        echo "# (deploy/local/down.sh --purge)."
        printf 'BIFROST_DB_USER=%q\n' "$DB_USER"
        printf 'BIFROST_DB_PASSWORD=%q\n' "$DB_PASSWORD"
        printf 'BIFROST_ADMIN_USER=%q\n' "$ADMIN_USER"
        printf 'BIFROST_ADMIN_PASSWORD=%q\n' "$ADMIN_PASSWORD"
        printf 'THORDB_URL=%q\n' "$THORDB_URL"
        printf 'MJOLNIRDB_URL=%q\n' "$MJOLNIRDB_URL"
        printf 'STORMBREAKERDB_URL=%q\n' "$STORMBREAKERDB_URL"
        printf 'KAFKA_BOOTSTRAP=%q\n' "$KAFKA_BOOTSTRAP"
        printf 'CAPTURE_URL=%q\n' "$CAPTURE_URL"
        printf 'APPLY_URL=%q\n' "$APPLY_URL"
    } >"$tmp"
    mv -f "$tmp" "$LOCAL_ENV"
}
write_local_env

# ---------------------------------------------------------------------------
# 2. PostgreSQL: thordb, mjolnirdb, stormbreakerdb
# ---------------------------------------------------------------------------
CURRENT_PIECE=postgresql
PG_BIN=$(find_pg_bin)
if [[ -z $PG_BIN ]]; then
    apt_install "PostgreSQL" postgresql
    PG_BIN=$(find_pg_bin)
    [[ -n $PG_BIN ]] || die "PostgreSQL was installed but no /usr/lib/postgresql/N/bin was found; set PG_BIN"
fi

if ((EUID == 0)); then
    command -v runuser >/dev/null 2>&1 || apt_install runuser util-linux
    if ! id -u postgres >/dev/null 2>&1; then
        log "creating the 'postgres' system user"
        useradd --system --user-group --home-dir /var/lib/postgresql --shell /bin/bash postgres
    fi
    mkdir -p "$PG_ROOT"
    chown postgres: "$PG_ROOT"
    chmod 700 "$PG_ROOT"
    if ! runuser -u postgres -- test -w "$PG_ROOT"; then
        die "the 'postgres' OS user cannot reach $PG_ROOT (a parent directory is not searchable by others, e.g. /root).
    Either let it through (chmod o+x on each parent directory), or choose a state directory elsewhere,
    e.g.: BIFROST_HOME=/var/lib/bifrost $0"
    fi
else
    mkdir -p "$PG_ROOT"
    chmod 700 "$PG_ROOT"
fi

# psql_admin NAME SQL: run SQL as `bifrost` on the `postgres` database of server NAME.
psql_admin() {
    PGPASSWORD=$DB_PASSWORD PGCONNECT_TIMEOUT=10 "$PG_BIN/psql" -X -q -v ON_ERROR_STOP=1 -tA \
        -h 127.0.0.1 -p "$(pg_port "$1")" -U "$DB_USER" -d postgres -c "$2"
}

# pg_init NAME: create the cluster of NAME (first start only).
pg_init() {
    local name=$1 dir=$PG_ROOT/$1 logfile=$LOG_DIR/$1.log pwfile
    # A directory without PG_VERSION is the leftover of an interrupted initdb.
    rm -rf "$dir"
    log "$name: initdb in $dir"
    pwfile=$(mktemp "$PG_ROOT/.pwfile.XXXXXX")
    printf '%s\n' "$DB_PASSWORD" >"$pwfile"
    ((EUID != 0)) || chown postgres: "$pwfile"
    # The bootstrap superuser is `bifrost` itself (the capture creates a publication
    # FOR TABLES IN SCHEMA, which needs superuser); there is no password-less role.
    if ! as_pg "$PG_BIN/initdb" -D "$dir" --username="$DB_USER" --pwfile="$pwfile" \
        --auth=scram-sha-256 --encoding=UTF8 --no-locale >>"$logfile" 2>&1; then
        rm -f "$pwfile"
        fail_piece "$name" "initdb failed; see the log above. Remove $dir and run $0 again."
    fi
    rm -f "$pwfile"
    # Password logins over TCP from this machine only; no Unix socket at all.
    cat >"$dir/pg_hba.conf" <<'EOF'
# Written by deploy/local/up.sh: password (scram-sha-256) logins from 127.0.0.1 only.
# TYPE  DATABASE     USER  ADDRESS       METHOD
host    all          all   127.0.0.1/32  scram-sha-256
host    replication  all   127.0.0.1/32  scram-sha-256
EOF
    printf "\n# Bifrost local runner settings (rewritten by deploy/local/up.sh on every start)\ninclude = 'bifrost.conf'\n" \
        >>"$dir/postgresql.conf"
    ((EUID != 0)) || chown postgres: "$dir/pg_hba.conf" "$dir/postgresql.conf"
}

# pg_start NAME: start the server of NAME unless it is running; record its PID.
pg_start() {
    local name=$1 dir=$PG_ROOT/$1 port logfile=$LOG_DIR/$1.log
    port=$(pg_port "$name")
    CURRENT_PIECE=$name
    touch "$logfile"
    ((EUID != 0)) || chown postgres: "$logfile"

    if [[ ! -f $dir/PG_VERSION ]]; then
        pg_init "$name"
    fi

    if pg_is_running "$name"; then
        log "$name: already running (pid $(postmaster_pid "$name"))"
    else
        if port_open "$port"; then
            fail_piece "$name" "port $port on 127.0.0.1 is taken by another process; stop it or choose another PG_PORT (e.g. PG_PORT=$((PG_PORT + 10)) $0)."
        fi
        cat >"$dir/bifrost.conf" <<EOF
# Written by deploy/local/up.sh on every start; edit the script, not this file.
listen_addresses = '127.0.0.1'
port = $port
unix_socket_directories = ''
password_encryption = 'scram-sha-256'
wal_level = logical
max_replication_slots = 10
max_wal_senders = 10
log_line_prefix = '%m [%p] %q%u@%d '
EOF
        ((EUID != 0)) || chown postgres: "$dir/bifrost.conf"
        echo "=== $(date '+%F %T') up.sh: starting $name ===" >>"$logfile"
        log "$name: starting PostgreSQL on 127.0.0.1:$port"
        # pg_ctl detaches the postmaster into its own session; it survives this script.
        if ! as_pg "$PG_BIN/pg_ctl" start -D "$dir" -l "$logfile" -w -t 60 -s </dev/null; then
            fail_piece "$name" "PostgreSQL did not start; see the log above. After fixing it, run $0 again."
        fi
    fi
    postmaster_pid "$name" >"$RUN_DIR/$name.pid"

    # Ready to accept connections?
    if ! "$PG_BIN/pg_isready" -q -h 127.0.0.1 -p "$port" -d postgres -t 30; then
        fail_piece "$name" "PostgreSQL is running but not accepting connections on 127.0.0.1:$port."
    fi
    # The application database, owned by bifrost.
    local exists
    if ! exists=$(psql_admin "$name" "SELECT 1 FROM pg_database WHERE datname = '$name'" 2>>"$logfile"); then
        fail_piece "$name" "cannot log in as $DB_USER on 127.0.0.1:$port. If $LOCAL_ENV was edited or recreated, its BIFROST_DB_PASSWORD no longer matches the data: restore it, or run deploy/local/down.sh --purge and start again."
    fi
    if [[ $exists != 1 ]]; then
        log "$name: creating database $name"
        psql_admin "$name" "CREATE DATABASE $name OWNER $DB_USER" 2>>"$logfile" ||
            fail_piece "$name" "CREATE DATABASE $name failed; see the log above."
    fi
    log "$name: ready on 127.0.0.1:$port"
}

for name in "${PG_NAMES[@]}"; do
    pg_start "$name"
done

# ---------------------------------------------------------------------------
# 3. Kafka (KRaft, single node, broker + controller)
# ---------------------------------------------------------------------------
CURRENT_PIECE=kafka
KAFKA_LOG=$LOG_DIR/kafka.log
KAFKA_LIBS=$KAFKA_HOME/libs
KAFKA_CONF=$KAFKA_HOME/config
KAFKA_DATA=$KAFKA_HOME/data
KAFKA_POM=$LOCAL_DIR/kafka/pom.xml
mkdir -p "$KAFKA_HOME" "$KAFKA_CONF"
touch "$KAFKA_LOG"

mapfile -t JVM_QUIET < <(jvm_quiet_flags)

# Maven runs for the Kafka jars and the service build.
run_maven() {
    (
        cd "$REPO"
        MAVEN_OPTS=${MAVEN_OPTS:---sun-misc-unsafe-memory-access=allow} ./mvnw -B -q "$@"
    )
}

# Fetch the broker jars from Maven Central once (again only if the pom changes).
pom_sum=$(sha256sum "$KAFKA_POM" | cut -d' ' -f1)
if [[ ! -f $KAFKA_LIBS/.complete || $(cat "$KAFKA_LIBS/.complete") != "$pom_sum" ]]; then
    log "kafka: fetching the Kafka jars from Maven Central into $KAFKA_LIBS"
    rm -rf "$KAFKA_LIBS"
    if ! run_maven -f "$KAFKA_POM" dependency:copy-dependencies \
        -DoutputDirectory="$KAFKA_LIBS" >>"$KAFKA_LOG" 2>&1; then
        fail_piece kafka "fetching the Kafka jars failed (network to Maven Central? see the Maven output above); run $0 again."
    fi
    echo "$pom_sum" >"$KAFKA_LIBS/.complete"
fi

# Broker logging (log4j2): everything to stdout, which is redirected to logs/kafka.log.
cat >"$KAFKA_CONF/log4j2.properties" <<'EOF'
# Written by deploy/local/up.sh. The broker's stdout goes to $BIFROST_HOME/logs/kafka.log.
status = warn
name = bifrost-local-kafka
# Console output needs no flushing at exit; avoids a warning when the broker stops.
shutdownHook = disable
appender.out.type = Console
appender.out.name = STDOUT
appender.out.layout.type = PatternLayout
appender.out.layout.pattern = [%d] %p %m (%c)%n
rootLogger.level = INFO
rootLogger.appenderRef.out.ref = STDOUT
logger.request.name = kafka.request.logger
logger.request.level = WARN
logger.statechange.name = state.change.logger
logger.statechange.level = WARN
logger.authorizer.name = kafka.authorizer.logger
logger.authorizer.level = WARN
EOF
# Command-line tools (StorageTool, ConfigCommand): warnings only, to stderr.
cat >"$KAFKA_CONF/tools-log4j2.properties" <<'EOF'
status = warn
name = bifrost-local-kafka-tools
appender.err.type = Console
appender.err.name = STDERR
appender.err.target = SYSTEM_ERR
appender.err.layout.type = PatternLayout
appender.err.layout.pattern = [%d] %p %m (%c)%n
rootLogger.level = WARN
rootLogger.appenderRef.err.ref = STDERR
EOF

# kafka_tool CLASS ARGS...: run a Kafka command-line class from the fetched jars.
kafka_tool() {
    "$JAVA" "${JVM_QUIET[@]}" -Xmx256m \
        -Dlog4j2.configurationFile="$KAFKA_CONF/tools-log4j2.properties" \
        -cp "$KAFKA_LIBS/*" "$@"
}

cat >"$KAFKA_CONF/server.properties" <<EOF
# Written by deploy/local/up.sh: single-node KRaft (combined broker + controller).
process.roles=broker,controller
node.id=1
controller.quorum.bootstrap.servers=127.0.0.1:$KAFKA_CONTROLLER_PORT
listeners=PLAINTEXT://127.0.0.1:$KAFKA_PORT,CONTROLLER://127.0.0.1:$KAFKA_CONTROLLER_PORT
advertised.listeners=PLAINTEXT://127.0.0.1:$KAFKA_PORT,CONTROLLER://127.0.0.1:$KAFKA_CONTROLLER_PORT
inter.broker.listener.name=PLAINTEXT
controller.listener.names=CONTROLLER
listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT
log.dirs=$KAFKA_DATA
num.partitions=1
auto.create.topics.enable=true
offsets.topic.replication.factor=1
transaction.state.log.replication.factor=1
transaction.state.log.min.isr=1
share.coordinator.state.topic.replication.factor=1
share.coordinator.state.topic.min.isr=1
group.initial.rebalance.delay.ms=0
EOF

if is_running kafka; then
    log "kafka: already running (pid $(read_pid kafka))"
else
    for p in "$KAFKA_PORT" "$KAFKA_CONTROLLER_PORT"; do
        if port_open "$p"; then
            fail_piece kafka "port $p on 127.0.0.1 is taken by another process; stop it or choose another KAFKA_PORT (KAFKA_PORT and KAFKA_PORT+1 are used)."
        fi
    done
    if [[ ! -f $KAFKA_DATA/meta.properties ]]; then
        cluster_id=$(kafka_tool kafka.tools.StorageTool random-uuid 2>>"$KAFKA_LOG" | tail -n 1)
        log "kafka: formatting $KAFKA_DATA (cluster id $cluster_id)"
        if ! kafka_tool kafka.tools.StorageTool format --standalone \
            --cluster-id "$cluster_id" --config "$KAFKA_CONF/server.properties" >>"$KAFKA_LOG" 2>&1; then
            fail_piece kafka "formatting the Kafka storage failed; see the log above. Remove $KAFKA_DATA and run $0 again."
        fi
        printf 'KAFKA_PORT=%s\nCLUSTER_ID=%s\n' "$KAFKA_PORT" "$cluster_id" >"$FORMATTED"
    fi
    echo "=== $(date '+%F %T') up.sh: starting kafka ===" >>"$KAFKA_LOG"
    log "kafka: starting the broker on 127.0.0.1:$KAFKA_PORT (controller on :$KAFKA_CONTROLLER_PORT)"
    setsid nohup "$JAVA" "${JVM_QUIET[@]}" -Xms256m -Xmx512m -XX:+UseG1GC -XX:MaxGCPauseMillis=20 \
        -Djava.awt.headless=true \
        -Dlog4j2.configurationFile="$KAFKA_CONF/log4j2.properties" \
        -Dkafka.logs.dir="$LOG_DIR" \
        -cp "$KAFKA_LIBS/*" kafka.Kafka "$KAFKA_CONF/server.properties" \
        >>"$KAFKA_LOG" 2>&1 </dev/null &
    echo $! >"$RUN_DIR/kafka.pid"
fi

# Ready: the port accepts connections and the broker answers an admin (metadata) request.
kafka_ready=0
for ((i = 0; i < 90; i++)); do
    is_running kafka || fail_piece kafka "the Kafka broker exited; see the log above, fix the cause and run $0 again."
    if port_open "$KAFKA_PORT" &&
        kafka_tool kafka.admin.ConfigCommand --bootstrap-server "$KAFKA_BOOTSTRAP" \
            --entity-type brokers --entity-name 1 --describe >/dev/null 2>&1; then
        kafka_ready=1
        break
    fi
    sleep 1
done
((kafka_ready == 1)) || fail_piece kafka "the Kafka broker did not answer on $KAFKA_BOOTSTRAP within 90 s; see the log above."
log "kafka: ready on $KAFKA_BOOTSTRAP"

# ---------------------------------------------------------------------------
# 4. capture-service and apply-service
# ---------------------------------------------------------------------------
# jars_stale: true if a jar is missing or any main source or pom is newer than it.
jars_stale() {
    local module jar
    for module in capture-service apply-service; do
        jar=$(newest_exec_jar "$module")
        [[ -n $jar ]] || return 0
        if [[ -n $(find "$REPO/pom.xml" "$REPO"/*/pom.xml "$REPO"/*/src/main \
            -newer "$jar" -type f -print -quit 2>/dev/null) ]]; then
            return 0
        fi
    done
    return 1
}

# wait_healthy NAME PORT: wait until /actuator/health answers 200 (the service is UP).
wait_healthy() {
    local name=$1 port=$2 i
    CURRENT_PIECE=$name
    for ((i = 0; i < WAIT_SECONDS; i += 2)); do
        is_running "$name" || fail_piece "$name" "$name exited; see the log above, fix the cause and run $0 again."
        if curl -fsS -o /dev/null --max-time 5 "http://127.0.0.1:$port/actuator/health" 2>/dev/null; then
            log "$name: healthy on http://127.0.0.1:$port"
            return 0
        fi
        sleep 2
    done
    fail_piece "$name" "$name did not report healthy on http://127.0.0.1:$port/actuator/health within ${WAIT_SECONDS}s (BIFROST_WAIT_SECONDS). See the log above; curl that URL for details."
}

# start_service NAME PORT ENV...: start a service jar in the background unless it runs.
start_service() {
    local name=$1 port=$2 jar logfile=$LOG_DIR/$1.log
    shift 2
    CURRENT_PIECE=$name
    touch "$logfile"
    if is_running "$name"; then
        log "$name: already running (pid $(read_pid "$name"))"
        return 0
    fi
    # as the container image runs it: unpacked (see unpacked_jar in lib.sh)
    jar=$(unpacked_jar "$name")
    [[ -n $jar ]] || fail_piece "$name" "no $name/target/$name-*-exec.jar; build with ./mvnw -B -DskipTests package."
    if port_open "$port"; then
        fail_piece "$name" "port $port on 127.0.0.1 is taken by another process; stop it or choose another port."
    fi
    echo "=== $(date '+%F %T') up.sh: starting $jar ===" >>"$logfile"
    log "$name: starting $(basename "$jar") on port $port"
    env "$@" setsid nohup "$JAVA" "${JVM_QUIET[@]}" -Xmx512m -XX:+UseParallelGC -XX:+ExitOnOutOfMemoryError -jar "$jar" \
        >>"$logfile" 2>&1 </dev/null &
    echo $! >"$RUN_DIR/$name.pid"
}

if [[ $SKIP_SERVICES == 1 ]]; then
    log "BIFROST_SKIP_SERVICES=1: not building or starting capture-service and apply-service"
else
    CURRENT_PIECE=build
    BUILD_LOG=$LOG_DIR/build.log
    if jars_stale; then
        if is_running capture-service || is_running apply-service; then
            warn "the service jars are older than the sources, but a service is running: not rebuilding under it. Run deploy/local/down.sh and then $0 to pick up the new code."
        else
            log "building the service jars (./mvnw -B -q -DskipTests package; output in $BUILD_LOG)"
            if ! run_maven -DskipTests package >"$BUILD_LOG" 2>&1; then
                fail_piece build "the Maven build failed; fix it (./mvnw -B -DskipTests package) and run $0 again."
            fi
        fi
    fi

    common_env=(
        "KAFKA_BOOTSTRAP_SERVERS=$KAFKA_BOOTSTRAP"
        "BIFROST_ADMIN_USER=$ADMIN_USER"
        "BIFROST_ADMIN_PASSWORD=$ADMIN_PASSWORD"
    )
    start_service capture-service "$CAPTURE_PORT" "${common_env[@]}" \
        "SERVER_PORT=$CAPTURE_PORT" \
        "THORDB_HOST=127.0.0.1" \
        "THORDB_PORT=$(pg_port thordb)" \
        "THORDB_DB=thordb" \
        "THORDB_USER=$DB_USER" \
        "THORDB_PASSWORD=$DB_PASSWORD"
    start_service apply-service "$APPLY_PORT" "${common_env[@]}" \
        "SERVER_PORT=$APPLY_PORT" \
        "MJOLNIRDB_URL=jdbc:postgresql://127.0.0.1:$(pg_port mjolnirdb)/mjolnirdb" \
        "MJOLNIRDB_USER=$DB_USER" \
        "MJOLNIRDB_PASSWORD=$DB_PASSWORD" \
        "STORMBREAKERDB_URL=jdbc:postgresql://127.0.0.1:$(pg_port stormbreakerdb)/stormbreakerdb" \
        "STORMBREAKERDB_USER=$DB_USER" \
        "STORMBREAKERDB_PASSWORD=$DB_PASSWORD"

    # capture may take a while (initial snapshot of thordb).
    wait_healthy capture-service "$CAPTURE_PORT"
    wait_healthy apply-service "$APPLY_PORT"

    # Replication is live once apply-service (consuming from Kafka, writing to both targets)
    # reports UP.
    CURRENT_PIECE=apply-service
    health=$(curl -fsS --max-time 5 "$APPLY_URL/actuator/health" 2>&1) ||
        fail_piece apply-service "apply-service stopped answering on $APPLY_URL/actuator/health."
    [[ $health == *'"status":"UP"'* ]] ||
        fail_piece apply-service "apply-service health is not UP: $health"
    log "replication is live"
fi

# ---------------------------------------------------------------------------
# 5. Where everything is
# ---------------------------------------------------------------------------
CURRENT_PIECE=summary
row() { printf '  %-16s %-10s %-6s %-8s %-25s %-8s %s\n' "$@"; }
echo
echo "Bifrost local stack is up."
echo
row PIECE HOST PORT PID DATABASE USER NOTES
for name in "${PG_NAMES[@]}"; do
    row "$name" 127.0.0.1 "$(pg_port "$name")" "$(read_pid "$name")" "$name" "$DB_USER" "PostgreSQL ${PG_BIN%/bin}"
done
row kafka 127.0.0.1 "$KAFKA_PORT" "$(read_pid kafka)" - - "controller on :$KAFKA_CONTROLLER_PORT"
if [[ $SKIP_SERVICES == 1 ]]; then
    row capture-service - - - - - "skipped (BIFROST_SKIP_SERVICES=1)"
    row apply-service - - - - - "skipped (BIFROST_SKIP_SERVICES=1)"
else
    row capture-service 127.0.0.1 "$CAPTURE_PORT" "$(read_pid capture-service)" thordb "$DB_USER" "$CAPTURE_URL/actuator/health"
    row apply-service 127.0.0.1 "$APPLY_PORT" "$(read_pid apply-service)" "mjolnirdb,stormbreakerdb" "$DB_USER" "$APPLY_URL/actuator/health"
fi
echo
echo "  Passwords and URLs: $LOCAL_ENV   (e.g. . $LOCAL_ENV && psql \"\$THORDB_URL\")"
echo "  Logs:               $LOG_DIR/<piece>.log"
echo "  Stop:               $LOCAL_DIR/down.sh   (keeps data; --purge deletes it)"
