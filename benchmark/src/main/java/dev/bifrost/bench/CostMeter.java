package dev.bifrost.bench;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * CPU time of the processes that do replication work, sampled from {@code /proc} every {@value #PERIOD_MS} ms:
 * the processes registered by label (capture-service, apply-service, the Kafka broker), and every PostgreSQL
 * backend of the three servers that is not the benchmark's own ({@code application_name} other than
 * {@value Databases#APPLICATION_NAME}): walsenders, logical replication workers, and the services' client
 * connections, all labelled {@code postgres}. The CPU between two {@link #mark() marks} is the difference of
 * the cumulative times; a process that ends between two samples loses at most one period of its time.
 */
final class CostMeter implements AutoCloseable {

    static final long PERIOD_MS = 250;

    private static final String BACKENDS = """
            SELECT pid FROM pg_stat_activity
            WHERE pid <> pg_backend_pid() AND coalesce(application_name, '') <> ?
              AND (backend_type IN ('client backend', 'walsender') OR backend_type LIKE 'logical replication%worker')""";

    /** The last reading of one process. */
    private record Reading(String label, long ticks) {
    }

    /** Cumulative CPU ticks per process (pid:starttime) at one moment. */
    record Mark(Map<String, Reading> readings) {
    }

    private final Databases db;
    private final Map<Long, String> labelled = new ConcurrentHashMap<>();
    private final Map<String, Reading> readings = new HashMap<>();
    private final Map<String, Connection> connections = new HashMap<>();
    private final ScheduledExecutorService sampler = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "cost-sampler");
        t.setDaemon(true);
        return t;
    });
    private String lastError;

    CostMeter(Databases db) {
        this.db = db;
    }

    void start() {
        sampler.scheduleWithFixedDelay(this::sample, 0, PERIOD_MS, TimeUnit.MILLISECONDS);
    }

    /** Counts {@code pid} under {@code label} from now on. */
    void track(long pid, String label) {
        labelled.put(pid, label);
        sample();
    }

    /** Takes a last reading of {@code pid} and stops following it. */
    void untrack(long pid) {
        sample();
        labelled.remove(pid);
    }

    Mark mark() {
        sample();
        synchronized (this) {
            return new Mark(Map.copyOf(readings));
        }
    }

    /** CPU seconds per label between two marks. */
    static Map<String, Double> cpuSeconds(Mark from, Mark to) {
        Map<String, Double> out = new TreeMap<>();
        to.readings().forEach((key, reading) -> {
            Reading before = from.readings().get(key);
            long ticks = reading.ticks() - (before == null ? 0 : before.ticks());
            out.merge(reading.label(), ticks / ProcStat.TICKS_PER_SECOND, Double::sum);
        });
        return out;
    }

    private synchronized void sample() {
        Map<Long, String> pids = new HashMap<>(labelled);
        for (Target server : db.servers()) {
            try {
                for (long pid : backends(server)) {
                    pids.putIfAbsent(pid, "postgres");
                }
            } catch (SQLException e) {
                close(server);
                String error = "cost meter: cannot list the backends of " + server + ": " + e.getMessage();
                if (!error.equals(lastError)) {
                    Log.info(error);
                    lastError = error;
                }
            }
        }
        pids.forEach((pid, label) -> {
            ProcStat.Sample sample = ProcStat.sample(pid);
            if (sample != null) {
                readings.put(pid + ":" + sample.startTime(), new Reading(label, sample.cpuTicks()));
            }
        });
    }

    private List<Long> backends(Target server) throws SQLException {
        Connection c = connections.get(server.name());
        if (c == null) {
            c = db.connect(server);
            connections.put(server.name(), c);
        }
        try (PreparedStatement ps = c.prepareStatement(BACKENDS)) {
            ps.setString(1, Databases.APPLICATION_NAME);
            try (ResultSet rs = ps.executeQuery()) {
                List<Long> pids = new java.util.ArrayList<>();
                while (rs.next()) {
                    pids.add(rs.getLong(1));
                }
                return pids;
            }
        }
    }

    private void close(Target server) {
        Connection c = connections.remove(server.name());
        if (c != null) {
            try {
                c.close();
            } catch (SQLException ignored) {
                // the connection is being discarded because it failed
            }
        }
    }

    @Override
    public synchronized void close() {
        sampler.shutdownNow();
        for (Target server : db.servers()) {
            close(server);
        }
    }
}
