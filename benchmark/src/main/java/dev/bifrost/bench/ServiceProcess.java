package dev.bifrost.bench;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * A Bifrost service run as a child JVM from its executable jar, the way {@code deploy/local/up.sh} runs it
 * ({@code java -Xmx512m -jar ...} with the environment variables up.sh passes). A watcher thread records when
 * {@code /actuator/health} first answers 200. Every started process is registered so that a shutdown hook can
 * stop whatever is still running.
 */
final class ServiceProcess {

    private static final Set<ServiceProcess> RUNNING = ConcurrentHashMap.newKeySet();
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    /** What a process used over its life: CPU seconds (user + system) and peak resident set size. */
    record Usage(double cpuSeconds, long peakRssBytes) {
    }

    private final String name;
    private final Path jar;
    private final int port;
    private final Map<String, String> env;
    private final Path log;
    private final Path pidFile;
    private Process process;
    private volatile long healthyAt;

    /**
     * @param pidFile where the PID is kept while it runs: the local runner's {@code run/<name>.pid}, so that
     *                {@code down.sh} stops the service even if this JVM was killed before it could
     */
    ServiceProcess(String name, Path jar, int port, Map<String, String> env, Path log, Path pidFile) {
        this.name = name;
        this.jar = jar;
        this.port = port;
        this.env = env;
        this.log = log;
        this.pidFile = pidFile;
    }

    void start() throws IOException {
        try {
            new ServerSocket(port, 1, InetAddress.getLoopbackAddress()).close();
        } catch (IOException e) {
            throw new IOException(name + ": port " + port + " on 127.0.0.1 is taken (" + e.getMessage()
                    + "); choose another one", e);
        }
        Files.createDirectories(log.getParent());
        String launcher = ProcessHandle.current().info().command().orElse("java");
        // as deploy/local/up.sh runs them: a throughput collector, cheaper per allocation than G1 on 2 cores
        List<String> command = new ArrayList<>(List.of(launcher, "-Xmx512m", "-XX:+UseParallelGC",
                "-XX:+ExitOnOutOfMemoryError"));
        if (Runtime.version().feature() >= 23) {
            command.add("--sun-misc-unsafe-memory-access=allow");
        }
        if (Runtime.version().feature() >= 22) {
            command.add("--enable-native-access=ALL-UNNAMED");
        }
        String extra = System.getenv("BENCH_SERVICE_JVM_OPTIONS");
        if (extra != null && !extra.isBlank()) {
            // e.g. -XX:StartFlightRecording=filename=/tmp/%p.jfr,settings=profile to profile the services
            command.addAll(List.of(extra.trim().split("\\s+")));
        }
        command.addAll(List.of("-jar", jar.toString()));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
                .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()));
        Map<String, String> environment = builder.environment();
        environment.keySet().retainAll(Set.of("PATH", "HOME", "LANG", "LC_ALL", "TZ", "USER"));
        environment.putAll(env);
        environment.put("SERVER_PORT", Integer.toString(port));
        Files.writeString(log, "=== bench: starting " + jar + " ===\n", StandardCharsets.UTF_8,
                StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        process = builder.start();
        RUNNING.add(this);
        Files.createDirectories(pidFile.getParent());
        Files.writeString(pidFile, process.pid() + "\n");
        Log.info(name + ": started pid " + process.pid() + " on port " + port + " (log " + log + ")");
        Thread.ofVirtual().name(name + "-health").start(this::watchHealth);
    }

    private void watchHealth() {
        while (process.isAlive() && healthyAt == 0) {
            if (get("/actuator/health").status() == 200) {
                healthyAt = System.nanoTime();
                return;
            }
            LockSupport.parkNanos(Duration.ofMillis(100).toNanos());
        }
    }

    long pid() {
        return process.pid();
    }

    /** {@link System#nanoTime()} when health first answered 200; 0 if not yet. */
    long healthyAt() {
        return healthyAt;
    }

    /** For {@link Wait}: null once healthy; fails at once if the process exited. */
    String pendingHealth() {
        if (healthyAt != 0) {
            return null;
        }
        if (!process.isAlive()) {
            throw new IllegalStateException(name + " exited with status " + process.exitValue() + "; see " + log);
        }
        return name + " not healthy yet on http://127.0.0.1:" + port + "/actuator/health";
    }

    /** A response from the service; status 0 when it did not answer. */
    record Response(int status, String body) {
    }

    Response get(String path) {
        return send(HttpRequest.newBuilder(uri(path)).GET());
    }

    Response post(String path, String user, String password) {
        String credentials = Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
        return send(HttpRequest.newBuilder(uri(path)).header("Authorization", "Basic " + credentials)
                .POST(HttpRequest.BodyPublishers.noBody()));
    }

    private URI uri(String path) {
        return URI.create("http://127.0.0.1:" + port + path);
    }

    private static Response send(HttpRequest.Builder request) {
        try {
            HttpResponse<String> response = HTTP.send(request.timeout(Duration.ofSeconds(10)).build(),
                    HttpResponse.BodyHandlers.ofString());
            return new Response(response.statusCode(), response.body());
        } catch (IOException e) {
            return new Response(0, e.toString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Response(0, "interrupted");
        }
    }

    /** Reads the process's usage, then stops it: SIGTERM, up to 30 s for a graceful shutdown, then SIGKILL. */
    Usage stop() throws InterruptedException {
        Usage usage = new Usage(ProcStat.cpuSeconds(process.pid()), ProcStat.peakRssBytes(process.pid()));
        terminate();
        Log.info(name + ": stopped (" + String.format("%.1f", usage.cpuSeconds()) + " CPU s, peak RSS "
                + usage.peakRssBytes() / (1024 * 1024) + " MB)");
        return usage;
    }

    private void terminate() throws InterruptedException {
        try {
            if (process.isAlive()) {
                process.destroy();
                if (!process.waitFor(30, TimeUnit.SECONDS)) {
                    Log.info(name + " did not stop within 30 s; killing it");
                    process.destroyForcibly();
                    process.waitFor(10, TimeUnit.SECONDS);
                }
            }
        } finally {
            RUNNING.remove(this);
            try {
                Files.deleteIfExists(pidFile);
            } catch (IOException e) {
                Log.info("cannot delete " + pidFile + ": " + e.getMessage());
            }
        }
    }

    /** For the shutdown hook: stops every service still running. */
    static void stopAll() {
        for (ServiceProcess service : List.copyOf(RUNNING)) {
            try {
                Log.info("stopping " + service.name + " (pid " + service.process.pid() + ")");
                service.terminate();
            } catch (InterruptedException e) {
                service.process.destroyForcibly();
                Thread.currentThread().interrupt();
            }
        }
    }
}
