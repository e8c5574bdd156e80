package dev.bifrost.bench;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.locks.LockSupport;

/**
 * Commit-to-visible latency at a steady rate, measured on one clock (this JVM's {@link System#nanoTime()}).
 *
 * <p>A writer commits a transaction of {@value #TX_ROWS} rows with consecutive ids every
 * {@value #PERIOD_MS} ms ({@value #RATE} rows/s) and notes when each commit returned. On every target a poller
 * reads {@code max(id)} of {@code raw.registros} every {@value #POLL_MS} ms and notes, for each transaction
 * whose last id it sees for the first time, when that read returned. Both systems apply whole source
 * transactions in commit order, so a visible id means its whole transaction (and every earlier one) is
 * visible. Latency = first seen − commit returned: an upper bound that overstates by at most one poll
 * interval plus one round trip (the same for both systems).
 *
 * <p>A warm-up at the same rate comes first (freshly started JVMs compile their hot paths in it); the
 * measured run starts once every target shows the whole warm-up, so it starts from a caught-up state.
 */
final class LatencyRun {

    static final int RATE = 2000;
    static final int TX_ROWS = 20;
    static final long PERIOD_MS = 1000L * TX_ROWS / RATE;
    static final long POLL_MS = 2;

    private final Databases db;
    private final List<Target> targets;
    private final int warmupTx;
    private final int txCount;

    LatencyRun(Databases db, List<Target> targets, double warmupSeconds, double measuredSeconds) {
        this.db = db;
        this.targets = targets;
        this.warmupTx = (int) Math.round(warmupSeconds * 1000 / PERIOD_MS);
        this.txCount = warmupTx + (int) Math.max(1, Math.round(measuredSeconds * 1000 / PERIOD_MS));
    }

    /** Rows written, warm-up included. */
    long rowsWritten() {
        return (long) txCount * TX_ROWS;
    }

    private final class Poller implements Runnable {
        final Target target;
        final long[] visibleAt = new long[txCount];
        volatile int seen;
        volatile boolean stop;
        volatile Exception failure;

        Poller(Target target) {
            this.target = target;
        }

        @Override
        public void run() {
            try (Connection c = db.connect(target);
                    PreparedStatement ps = c.prepareStatement("SELECT coalesce(max(id), 0) FROM raw.registros")) {
                while (!stop) {
                    long max;
                    try (ResultSet rs = ps.executeQuery()) {
                        rs.next();
                        max = rs.getLong(1);
                    }
                    long now = System.nanoTime();
                    int complete = (int) Math.min(txCount, Math.max(0, max / TX_ROWS));
                    for (int k = seen; k < complete; k++) {
                        visibleAt[k] = now;
                    }
                    if (complete > seen) {
                        seen = complete;
                    }
                    LockSupport.parkNanos(POLL_MS * 1_000_000);
                }
            } catch (Exception e) {
                failure = e;
            }
        }
    }

    /** Writes, waits until every target shows every transaction, and returns the figures. */
    Map<String, Object> run(Duration drainTimeout) throws Exception {
        List<Poller> pollers = new ArrayList<>();
        List<Thread> threads = new ArrayList<>();
        for (Target target : targets) {
            Poller poller = new Poller(target);
            pollers.add(poller);
            Thread thread = new Thread(poller, "poll-" + target.database());
            thread.setDaemon(true);
            threads.add(thread);
            thread.start();
        }
        long[] committedAt = new long[txCount];
        try {
            Log.info("latency: warm-up, " + warmupTx + " transactions of " + TX_ROWS + " rows, one every "
                    + PERIOD_MS + " ms");
            write(committedAt, 0, warmupTx);
            awaitVisible(pollers, warmupTx, drainTimeout);
            Log.info("latency: measuring, " + (txCount - warmupTx) + " transactions");
            write(committedAt, warmupTx, txCount);
            awaitVisible(pollers, txCount, drainTimeout);
        } finally {
            pollers.forEach(p -> p.stop = true);
            for (Thread thread : threads) {
                thread.join(10_000);
            }
        }
        return figures(committedAt, pollers);
    }

    private void awaitVisible(List<Poller> pollers, int transactions, Duration timeout) throws Exception {
        Wait.until("the first " + transactions + " transactions visible on " + targets, timeout, Duration.ofMillis(20),
                () -> {
                List<String> behind = new ArrayList<>();
                for (Poller p : pollers) {
                    if (p.failure != null) {
                        throw new IllegalStateException("poller of " + p.target + " failed: " + p.failure, p.failure);
                    }
                    if (p.seen < transactions) {
                        behind.add(p.target + " shows " + p.seen + " of " + transactions + " transactions");
                    }
                }
                return behind.isEmpty() ? null : String.join("; ", behind);
            });
    }

    /** Transactions {@code from} (inclusive) to {@code to} (exclusive), one every period from now. */
    private void write(long[] committedAt, int from, int to) throws Exception {
        try (Connection c = db.connect(db.source()); PreparedStatement ps = c.prepareStatement(Workload.INSERT_RANGE)) {
            c.setAutoCommit(false);
            long start = System.nanoTime();
            for (int k = from; k < to; k++) {
                long due = start + (k - from) * PERIOD_MS * 1_000_000;
                long wait;
                while ((wait = due - System.nanoTime()) > 0) {
                    LockSupport.parkNanos(wait);
                }
                ps.setLong(1, (long) k * TX_ROWS + 1);
                ps.setLong(2, (long) (k + 1) * TX_ROWS);
                ps.executeUpdate();
                c.commit();
                committedAt[k] = System.nanoTime();
            }
        }
    }

    private Map<String, Object> figures(long[] committedAt, List<Poller> pollers) {
        int measured = txCount - warmupTx;
        // from the first measured commit to the last: measured - 1 periods
        double seconds = Wait.seconds(committedAt[warmupTx], committedAt[txCount - 1]) * measured
                / Math.max(1, measured - 1);
        double[] all = new double[measured * pollers.size()];
        int negatives = 0;
        Map<String, Object> perTarget = new LinkedHashMap<>();
        for (int t = 0; t < pollers.size(); t++) {
            Poller p = pollers.get(t);
            double[] ms = new double[measured];
            for (int k = warmupTx; k < txCount; k++) {
                long nanos = p.visibleAt[k] - committedAt[k];
                if (nanos < 0) {
                    // seen in the same instant as the commit returned: the writer was descheduled in between
                    negatives++;
                    nanos = 0;
                }
                ms[k - warmupTx] = nanos / 1e6;
            }
            System.arraycopy(ms, 0, all, t * measured, measured);
            perTarget.put(p.target.name(), percentiles(ms));
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("rows", (long) measured * TX_ROWS);
        out.put("transactions", measured);
        out.put("seconds", seconds);
        out.put("rows_per_s", measured * TX_ROWS / seconds);
        out.putAll(percentiles(all));
        out.put("poll_interval_ms", POLL_MS);
        if (negatives > 0) {
            out.put("seen_before_commit_returned", negatives);
        }
        out.put("targets", perTarget);
        return out;
    }

    /** p50, p95, p99 (nearest rank), max and mean of a sample, in ms. */
    static Map<String, Object> percentiles(double[] sample) {
        double[] sorted = sample.clone();
        Arrays.sort(sorted);
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("p50_ms", rank(sorted, 50));
        out.put("p95_ms", rank(sorted, 95));
        out.put("p99_ms", rank(sorted, 99));
        out.put("max_ms", sorted[sorted.length - 1]);
        out.put("mean_ms", Arrays.stream(sorted).average().orElse(0));
        return out;
    }

    private static double rank(double[] sorted, double p) {
        int index = (int) Math.ceil(p / 100 * sorted.length) - 1;
        return sorted[Math.max(0, Math.min(sorted.length - 1, index))];
    }
}
