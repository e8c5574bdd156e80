package dev.bifrost.bench;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.locks.LockSupport;

/**
 * Bifrost: capture-service and apply-service as child processes, with the environment deploy/local/up.sh gives
 * them plus a topic prefix, slot and publication of their own per phase, so that each phase starts from
 * nothing: a fresh slot and offsets (the capture snapshots {@code raw} and {@code refined} on first start), a
 * fresh changelog topic, empty target schemas.
 */
final class BifrostReplicator implements Replicator {

    private static final String PREFIX = "bench_bifrost_";
    private static final List<String> TARGET_NAMES = List.of("mjolnir", "stormbreaker");
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Settings settings;
    private final Databases db;
    private final CostMeter cost;
    private final String runId = Long.toString(System.currentTimeMillis() / 1000, 36);
    private final Map<String, Long> peakRss = new LinkedHashMap<>();
    private String phase = "none";
    private volatile ServiceProcess capture;
    private ServiceProcess apply;
    private volatile long engineStartedAt;

    BifrostReplicator(Settings settings, Databases db, CostMeter cost) {
        this.settings = settings;
        this.db = db;
        this.cost = cost;
    }

    @Override
    public String name() {
        return "bifrost";
    }

    @Override
    public List<Target> targets() {
        return List.of(new Target("mjolnir", settings.pgPort() + 1, "mjolnirdb"),
                new Target("stormbreaker", settings.pgPort() + 2, "stormbreakerdb"));
    }

    /** Starts the capture once so that its Flyway migration creates ThorDB's schema (raw.registros). */
    @Override
    public void prepare() throws Exception {
        reset("prepare");
        capture = service("capture-service", settings.captureJar(), settings.capturePort(), captureEnv());
        capture.start();
        Wait.until("capture-service healthy (creates ThorDB's schema)", settings.timeout(180, 0),
                Duration.ofMillis(250), capture::pendingHealth);
        teardown();
    }

    @Override
    public void reset(String phase) throws Exception {
        teardown();
        this.phase = phase;
        for (Target target : targets()) {
            db.execute(target, "DROP SCHEMA IF EXISTS raw, refined, bifrost CASCADE");
        }
    }

    @Override
    public void startTargetSide() throws Exception {
        startApply();
        Wait.until("apply-service healthy", settings.timeout(180, 0), Duration.ofMillis(100), apply::pendingHealth);
    }

    private void startApply() throws java.io.IOException {
        apply = service("apply-service", settings.applyJar(), settings.applyPort(), applyEnv());
        apply.start();
        cost.track(apply.pid(), "apply");
    }

    @Override
    public void start() throws Exception {
        capture = service("capture-service", settings.captureJar(), settings.capturePort(), captureEnv());
        engineStartedAt = 0;
        capture.start();
        cost.track(capture.pid(), "capture");
        if (apply == null) {
            startApply();
        }
        ServiceProcess watched = capture;
        Thread.ofVirtual().name("capture-engine-watch").start(() -> watchEngine(watched));
    }

    /** Notes when the capture's engine first reports snapshotting or streaming (its web server is up by then). */
    private void watchEngine(ServiceProcess service) {
        while (service == capture && engineStartedAt == 0) {
            ServiceProcess.Response response = service.get("/api/status");
            if (response.status() == 200) {
                try {
                    String state = JSON.readTree(response.body()).path("state").asText();
                    if (state.equals("snapshotting") || state.equals("streaming")) {
                        engineStartedAt = System.nanoTime();
                        return;
                    }
                } catch (JsonProcessingException e) {
                    // not JSON yet: the service is still starting
                }
            }
            LockSupport.parkNanos(Duration.ofMillis(100).toNanos());
        }
    }

    private ServiceProcess service(String name, Path jar, int port, Map<String, String> env) {
        return new ServiceProcess(name, jar, port, env, settings.logDir().resolve("bench-" + phase + "-" + name + ".log"),
                settings.home().resolve("run").resolve(name + ".pid"));
    }

    private String topicPrefix() {
        return "bench-" + runId + "-" + phase.replace('_', '-');
    }

    private String slotName() {
        return PREFIX + phase + "_" + runId;
    }

    private Map<String, String> captureEnv() {
        Map<String, String> env = commonEnv();
        env.put("THORDB_HOST", "127.0.0.1");
        env.put("THORDB_PORT", Integer.toString(settings.pgPort()));
        env.put("THORDB_DB", "thordb");
        env.put("THORDB_USER", settings.dbUser());
        env.put("THORDB_PASSWORD", settings.dbPassword());
        env.put("BIFROST_SLOT_NAME", slotName());
        env.put("BIFROST_PUBLICATION_NAME", slotName());
        return env;
    }

    private Map<String, String> applyEnv() {
        Map<String, String> env = commonEnv();
        for (Target target : targets()) {
            String key = target.database().toUpperCase(Locale.ROOT);
            env.put(key + "_URL", target.jdbcUrl());
            env.put(key + "_USER", settings.dbUser());
            env.put(key + "_PASSWORD", settings.dbPassword());
        }
        return env;
    }

    private Map<String, String> commonEnv() {
        Map<String, String> env = new LinkedHashMap<>();
        env.put("KAFKA_BOOTSTRAP_SERVERS", settings.kafkaBootstrap());
        env.put("BIFROST_ADMIN_USER", settings.adminUser());
        env.put("BIFROST_ADMIN_PASSWORD", settings.adminPassword());
        env.put("BIFROST_TOPIC_PREFIX", topicPrefix());
        return env;
    }

    @Override
    public void awaitReady() throws Exception {
        Duration timeout = settings.timeout(180, 0);
        Wait.until("capture-service healthy", timeout, Duration.ofMillis(100), capture::pendingHealth);
        Wait.until("apply-service healthy", timeout, Duration.ofMillis(100), apply::pendingHealth);
    }

    @Override
    public Map<String, Object> startFigures(long startedAt) {
        Map<String, Object> out = new LinkedHashMap<>();
        if (capture != null && capture.healthyAt() != 0) {
            out.put("capture_up_s", Wait.seconds(startedAt, capture.healthyAt()));
        }
        if (apply != null && apply.healthyAt() != 0) {
            out.put("apply_up_s", Wait.seconds(startedAt, apply.healthyAt()));
        }
        if (engineStartedAt != 0) {
            out.put("capture_engine_started_s", Wait.seconds(startedAt, engineStartedAt));
        }
        return out;
    }

    /** Pauses every target through the REST API and waits until each reports {@code paused}. */
    @Override
    public void pauseApply() throws Exception {
        for (String target : TARGET_NAMES) {
            ServiceProcess.Response response = apply.post("/api/targets/" + target + "/pause", settings.adminUser(),
                    settings.adminPassword());
            if (response.status() != 202) {
                throw new IllegalStateException("pausing target " + target + " answered " + response.status() + ": "
                        + response.body());
            }
        }
        Wait.until("both targets paused", settings.timeout(60, 0), Duration.ofMillis(100), () -> {
            List<String> notPaused = new ArrayList<>();
            for (String target : TARGET_NAMES) {
                String state = JSON.readTree(apply.get("/api/targets/" + target).body()).path("state").asText();
                if (!state.equals("paused")) {
                    notPaused.add(target + " is " + state);
                }
            }
            return notPaused.isEmpty() ? null : String.join(", ", notPaused);
        });
    }

    @Override
    public void resumeApply() {
        for (String target : TARGET_NAMES) {
            ServiceProcess.Response response = apply.post("/api/targets/" + target + "/resume", settings.adminUser(),
                    settings.adminPassword());
            if (response.status() != 202) {
                throw new IllegalStateException("resuming target " + target + " answered " + response.status() + ": "
                        + response.body());
            }
        }
    }

    /** Insert, update, delete and truncate events of raw.registros that Kafka acknowledged, from /api/status. */
    @Override
    public long capturedChanges() throws Exception {
        ServiceProcess.Response response = capture.get("/api/status");
        if (response.status() != 200) {
            throw new IllegalStateException("capture-service /api/status answered " + response.status() + ": "
                    + response.body());
        }
        JsonNode events = JSON.readTree(response.body()).path("eventsCaptured").path("raw.registros");
        long sum = 0;
        for (String op : List.of("insert", "update", "delete", "truncate")) {
            sum += events.path(op).asLong(0);
        }
        return sum;
    }

    @Override
    public void teardown() throws Exception {
        // apply first: it must not see a half-stopped capture as a failure worth reporting
        for (ServiceProcess service : new ServiceProcess[] {apply, capture}) {
            if (service != null) {
                cost.untrack(service.pid());
                ServiceProcess.Usage usage = service.stop();
                peakRss.merge(service == apply ? "apply" : "capture", usage.peakRssBytes(), Math::max);
            }
        }
        apply = null;
        capture = null;
        dropSlotsAndPublications();
    }

    /** Peak RSS per service ({@code capture}, {@code apply}) over every phase, in bytes. */
    Map<String, Long> peakRss() {
        return peakRss;
    }

    private void dropSlotsAndPublications() throws Exception {
        Wait.until("Bifrost's replication slots on thordb released", settings.timeout(60, 0), Duration.ofMillis(200),
                () -> {
                    try (Connection c = db.connect(db.source()); Statement s = c.createStatement();
                            ResultSet rs = s.executeQuery("SELECT slot_name, active_pid FROM pg_replication_slots "
                                    + "WHERE starts_with(slot_name, '" + PREFIX + "') AND active")) {
                        List<String> active = new ArrayList<>();
                        while (rs.next()) {
                            active.add(rs.getString(1) + " (walsender " + rs.getLong(2) + ")");
                        }
                        return active.isEmpty() ? null : "still active: " + active;
                    }
                });
        try (Connection c = db.connect(db.source()); Statement s = c.createStatement()) {
            List<String> statements = new ArrayList<>();
            try (ResultSet rs = s.executeQuery("SELECT slot_name FROM pg_replication_slots WHERE starts_with(slot_name, '"
                    + PREFIX + "')")) {
                while (rs.next()) {
                    statements.add("SELECT pg_drop_replication_slot(" + Databases.literal(rs.getString(1)) + ")");
                }
            }
            try (ResultSet rs = s.executeQuery("SELECT pubname FROM pg_publication WHERE starts_with(pubname, '"
                    + PREFIX + "')")) {
                while (rs.next()) {
                    statements.add("DROP PUBLICATION " + Databases.quote(rs.getString(1)));
                }
            }
            statements.add("DELETE FROM bifrost.debezium_offset");
            for (String sql : statements) {
                try {
                    s.execute(sql);
                } catch (SQLException e) {
                    if (!"42P01".equals(e.getSQLState())) { // no offset table before the first start
                        throw e;
                    }
                }
            }
        }
    }
}
