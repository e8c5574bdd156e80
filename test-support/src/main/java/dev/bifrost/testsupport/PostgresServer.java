package dev.bifrost.testsupport;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A real PostgreSQL server started from the locally installed binaries into a temporary directory, on a
 * free loopback port, with {@code wal_level=logical}. As root it runs the binaries as the {@code postgres}
 * user, since {@code initdb} and {@code pg_ctl} refuse to run as root.
 *
 * <p>Set {@code PG_BIN} to choose the binaries; otherwise the newest {@code /usr/lib/postgresql/N/bin}.
 */
public final class PostgresServer implements AutoCloseable {

    public static final String USER = "postgres";

    private final Path home;
    private final Path data;
    private final Path bin;
    private final int port;
    private final boolean asRoot;

    private PostgresServer(Path home, Path bin, int port) {
        this.home = home;
        this.data = home.resolve("data");
        this.bin = bin;
        this.port = port;
        this.asRoot = "root".equals(System.getProperty("user.name"));
    }

    /** Creates, configures and starts a new server. */
    public static PostgresServer start(String name) {
        try {
            Path home = Files.createTempDirectory("bifrost-pg-" + name + "-");
            PostgresServer server = new PostgresServer(home, findBin(), freePort());
            server.init();
            server.startProcess();
            return server;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Path findBin() {
        String configured = System.getenv("PG_BIN");
        if (configured != null && !configured.isBlank()) {
            return Path.of(configured);
        }
        try (Stream<Path> versions = Files.list(Path.of("/usr/lib/postgresql"))) {
            return versions.map(v -> v.resolve("bin"))
                    .filter(b -> Files.isExecutable(b.resolve("initdb")))
                    .max(Comparator.comparingInt(b -> Integer.parseInt(b.getParent().getFileName().toString())))
                    .orElseThrow(() -> new IllegalStateException("no PostgreSQL server binaries under "
                            + "/usr/lib/postgresql: install them (apt-get install postgresql) or set PG_BIN"));
        } catch (IOException e) {
            throw new IllegalStateException("no PostgreSQL server binaries under /usr/lib/postgresql: install "
                    + "them (apt-get install postgresql) or set PG_BIN", e);
        }
    }

    public static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void init() {
        if (asRoot) {
            run(List.of("chown", "-R", USER + ":" + USER, home.toString()));
        }
        runAsPostgres(List.of(bin.resolve("initdb").toString(), "-D", data.toString(), "-U", USER,
                "--auth=trust", "-E", "UTF8", "--locale=C", "--no-sync"));
        String conf = """
                listen_addresses = '127.0.0.1'
                port = %d
                unix_socket_directories = '%s'
                wal_level = logical
                max_wal_senders = 20
                max_replication_slots = 20
                max_connections = 200
                fsync = off
                full_page_writes = off
                synchronous_commit = off
                shared_buffers = 128MB
                max_wal_size = 2GB
                """.formatted(port, home);
        try {
            Files.writeString(data.resolve("postgresql.auto.conf"), conf);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void startProcess() {
        runAsPostgres(List.of(bin.resolve("pg_ctl").toString(), "-D", data.toString(), "-l",
                home.resolve("postgres.log").toString(), "-w", "-t", "60", "start"));
    }

    /** Starts the server again after {@link #stop()}. */
    public void restart() {
        startProcess();
    }

    /** Stops the server (fast shutdown); {@link #restart()} brings it back with its data. */
    public void stop() {
        runAsPostgres(List.of(bin.resolve("pg_ctl").toString(), "-D", data.toString(), "-m", "fast", "-w",
                "stop"));
    }

    public int port() {
        return port;
    }

    /** The directory of the server's binaries, which holds its client programs too (psql, pgbench). */
    public Path bin() {
        return bin;
    }

    public String jdbcUrl(String database) {
        return "jdbc:postgresql://127.0.0.1:" + port + "/" + database;
    }

    public Connection connect(String database) throws SQLException {
        return DriverManager.getConnection(jdbcUrl(database), USER, "");
    }

    public void createDatabase(String database) {
        try (Connection c = connect("postgres"); Statement s = c.createStatement()) {
            s.execute("CREATE DATABASE \"" + database.replace("\"", "\"\"") + "\"");
        } catch (SQLException e) {
            throw new IllegalStateException("cannot create database " + database, e);
        }
    }

    private void runAsPostgres(List<String> command) {
        List<String> full = new ArrayList<>();
        if (asRoot) {
            full.addAll(List.of("runuser", "-u", USER, "--"));
        }
        full.addAll(command);
        run(full);
    }

    private void run(List<String> command) {
        try {
            Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
            String output = new String(process.getInputStream().readAllBytes());
            if (!process.waitFor(120, TimeUnit.SECONDS) || process.exitValue() != 0) {
                throw new IllegalStateException("command failed: " + String.join(" ", command) + "\n" + output);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted: " + command, e);
        }
    }

    @Override
    public void close() {
        try {
            runAsPostgres(List.of(bin.resolve("pg_ctl").toString(), "-D", data.toString(), "-m", "immediate",
                    "-w", "stop"));
        } catch (RuntimeException alreadyStopped) {
            // the server may have been stopped by the test; the directory is removed either way
        }
        try (Stream<Path> files = Files.walk(home)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
