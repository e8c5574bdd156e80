package dev.bifrost.capture.ingest;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * The capture jar's one-shot commands, run instead of the service:
 *
 * <pre>
 * java -jar capture-service-*-exec.jar ingest --dataset ocorrencias|portes|registros --file PATH [--replace]
 * java -jar capture-service-*-exec.jar refine
 * </pre>
 *
 * <p>A command starts the application without a web server and with the capture engine disabled
 * ({@code bifrost.capture.engine.enabled=false}), connects to ThorDB with the same settings as the service
 * (Flyway brings the schema up to date), does its work and exits: 0 when done, 1 when the file was rejected or
 * the work failed, 2 on a usage error, 3 when the file is already loaded and {@code --replace} was not given.
 */
public final class CommandMode {

    static final int EXIT_FAILED = 1;
    static final int EXIT_USAGE = 2;
    static final int EXIT_ALREADY_LOADED = 3;

    static final String USAGE = """
            usage: java -jar capture-service-<version>-exec.jar ingest --dataset ocorrencias|portes|registros \
            --file PATH [--replace]
                   java -jar capture-service-<version>-exec.jar refine
            ThorDB connection: THORDB_HOST, THORDB_PORT, THORDB_DB, THORDB_USER, THORDB_PASSWORD""";

    private static final Set<String> COMMANDS = Set.of("ingest", "refine");

    private CommandMode() {
    }

    /** Whether the arguments ask for a command rather than the service. */
    public static boolean isCommand(String[] args) {
        return args.length > 0 && COMMANDS.contains(args[0]);
    }

    /** Runs the command and answers the process's exit code. */
    public static int run(Class<?> application, String[] args) {
        List<String> properties;
        try {
            properties = properties(args);
        } catch (IllegalArgumentException e) {
            System.err.println(e.getMessage());
            System.err.println(USAGE);
            return EXIT_USAGE;
        }
        ConfigurableApplicationContext context;
        try {
            context = new SpringApplicationBuilder(application).web(WebApplicationType.NONE)
                    .run(properties.toArray(String[]::new));
        } catch (RuntimeException e) {
            System.err.println("cannot start: " + rootMessage(e));
            return EXIT_FAILED;
        }
        return SpringApplication.exit(context);
    }

    /**
     * The command line as Spring properties (command-line arguments, so that they win over
     * {@code application.yml}).
     */
    static List<String> properties(String[] args) {
        List<String> properties = new ArrayList<>(List.of(
                "--bifrost.command.name=" + args[0],
                "--bifrost.capture.engine.enabled=false",
                "--spring.kafka.admin.auto-create=false",
                "--spring.main.banner-mode=off",
                "--spring.main.log-startup-info=false",
                // only what the command uses is created: no Kafka probe, no slot monitor, no schedules
                "--spring.main.lazy-initialization=true",
                "--logging.level.root=WARN",
                "--logging.level.org.apache.kafka=ERROR",
                "--logging.level.io.debezium=WARN"));
        if (args[0].equals("refine")) {
            if (args.length > 1) {
                throw new IllegalArgumentException("refine takes no arguments, got: " + String.join(" ", args));
            }
            return properties;
        }
        String dataset = null;
        String file = null;
        boolean replace = false;
        for (int i = 1; i < args.length; i++) {
            String arg = args[i];
            String name = arg.contains("=") ? arg.substring(0, arg.indexOf('=')) : arg;
            @Nullable String inline = arg.contains("=") ? arg.substring(arg.indexOf('=') + 1) : null;
            switch (name) {
                case "--dataset" -> {
                    dataset = inline != null ? inline : value(args, ++i, name);
                }
                case "--file" -> {
                    file = inline != null ? inline : value(args, ++i, name);
                }
                case "--replace" -> replace = inline == null || Boolean.parseBoolean(inline);
                default -> throw new IllegalArgumentException("unknown argument: " + arg);
            }
        }
        if (dataset == null || file == null) {
            throw new IllegalArgumentException("ingest needs --dataset and --file");
        }
        Dataset.of(dataset);
        properties.add("--bifrost.command.dataset=" + dataset);
        properties.add("--bifrost.command.file=" + file);
        properties.add("--bifrost.command.replace=" + replace);
        return properties;
    }

    private static String value(String[] args, int i, String name) {
        if (i >= args.length || args[i].startsWith("--")) {
            throw new IllegalArgumentException(name + " needs a value");
        }
        return args[i];
    }

    private static String rootMessage(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root.getMessage() == null ? root.toString() : root.getMessage();
    }
}
