package dev.bifrost.system;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/**
 * Checks deploy/compose.yaml and the files around it without a Docker engine: the images can be
 * built, ports do not clash, every service is health-checked, and the two services get exactly
 * the environment variables they read (taken from their application.yml), so the compose file
 * stays in step with the code.
 */
class ComposeFileTest {

    /** Read by both services as bifrost.security.admin-user / admin-password. */
    private static final Set<String> ADMIN_VARIABLES = Set.of("BIFROST_ADMIN_USER", "BIFROST_ADMIN_PASSWORD");

    private static final Pattern ENV_PLACEHOLDER = Pattern.compile("\\$\\{([A-Z][A-Z0-9_]*)");
    /** A compose interpolation ${NAME...} (not the escaped $${...}). */
    private static final Pattern COMPOSE_VARIABLE = Pattern.compile("(?<!\\$)\\$\\{([A-Za-z_][A-Za-z0-9_]*)");

    private static Path root;
    private static Path deploy;
    private static Map<String, Object> compose;
    private static Map<String, Map<String, Object>> services;

    @BeforeAll
    static void load() throws IOException {
        root = repositoryRoot();
        deploy = root.resolve("deploy");
        compose = yaml(deploy.resolve("compose.yaml"));
        services = new LinkedHashMap<>();
        map(compose.get("services")).forEach((name, service) -> services.put(name, map(service)));
    }

    @Test
    void hasTheWholeStack() {
        assertThat(services).containsKeys("thordb", "mjolnirdb", "stormbreakerdb", "kafka", "capture-service",
                "apply-service", "prometheus", "grafana", "kafka-ui");
    }

    @Test
    void everyServiceHasAnImageOrABuildWhoseDockerfileExists() {
        services.forEach((name, service) -> {
            assertThat(service.containsKey("image") || service.containsKey("build"))
                    .as("service %s has an image or a build", name).isTrue();
            if (service.containsKey("build")) {
                Object build = service.get("build");
                Path context;
                String dockerfile = "Dockerfile";
                Map<String, Object> args = Map.of();
                if (build instanceof String s) {
                    context = deploy.resolve(s).normalize();
                } else {
                    Map<String, Object> b = map(build);
                    context = deploy.resolve(String.valueOf(b.getOrDefault("context", "."))).normalize();
                    dockerfile = String.valueOf(b.getOrDefault("dockerfile", dockerfile));
                    args = b.containsKey("args") ? map(b.get("args")) : Map.of();
                }
                assertThat(context).as("build context of %s", name).isDirectory();
                assertThat(context.resolve(dockerfile)).as("Dockerfile of %s", name).isRegularFile();
                if (args.containsKey("SERVICE")) {
                    assertThat(context.resolve(String.valueOf(args.get("SERVICE"))).resolve("pom.xml"))
                            .as("module named by build arg SERVICE of %s", name).isRegularFile();
                }
            }
        });
    }

    @Test
    void noHostPortIsPublishedTwice() {
        Map<String, String> owners = new HashMap<>();
        services.forEach((name, service) -> {
            for (Object port : list(service.get("ports"))) {
                String hostPort = hostPort(name, port);
                if (hostPort == null) {
                    continue;
                }
                String previous = owners.putIfAbsent(hostPort, name);
                assertThat(previous).as("host port %s published by %s and %s", hostPort, previous, name).isNull();
            }
        });
        assertThat(owners).containsKeys("8081", "8082", "3000", "9090", "8080");
    }

    @Test
    void everyServiceIsHealthChecked() {
        services.forEach((name, service) -> {
            assertThat(service).as("service %s", name).containsKey("healthcheck");
            Map<String, Object> healthcheck = map(service.get("healthcheck"));
            assertThat(healthcheck.get("disable")).as("healthcheck of %s", name).isNotEqualTo(Boolean.TRUE);
            Object test = healthcheck.get("test");
            assertThat(test instanceof String s ? !s.isBlank() : !list(test).isEmpty())
                    .as("healthcheck of %s has a test", name).isTrue();
        });
    }

    @Test
    void dependenciesExistAndHealthyConditionsPointAtHealthCheckedServices() {
        services.forEach((name, service) -> {
            Object dependsOn = service.get("depends_on");
            if (dependsOn == null) {
                return;
            }
            if (dependsOn instanceof List<?> names) {
                names.forEach(d -> assertThat(services).as("%s depends on", name).containsKey(String.valueOf(d)));
                return;
            }
            map(dependsOn).forEach((dependency, spec) -> {
                assertThat(services).as("%s depends on", name).containsKey(dependency);
                Object condition = spec == null ? null : map(spec).get("condition");
                if ("service_healthy".equals(condition)) {
                    assertThat(services.get(dependency))
                            .as("%s waits for %s to be healthy, so it needs a healthcheck", name, dependency)
                            .containsKey("healthcheck");
                }
            });
        });
    }

    @Test
    void captureServiceGetsItsConnectionSettings() {
        assertThat(environment("capture-service")).containsKeys("THORDB_HOST", "THORDB_PORT", "THORDB_DB",
                "THORDB_USER", "THORDB_PASSWORD", "KAFKA_BOOTSTRAP_SERVERS");
    }

    @Test
    void applyServiceGetsItsConnectionSettings() {
        assertThat(environment("apply-service")).containsKeys("MJOLNIRDB_URL", "MJOLNIRDB_USER",
                "MJOLNIRDB_PASSWORD", "STORMBREAKERDB_URL", "STORMBREAKERDB_USER", "STORMBREAKERDB_PASSWORD",
                "KAFKA_BOOTSTRAP_SERVERS");
    }

    @Test
    void servicesGetOnlyVariablesTheyRead() throws IOException {
        for (String service : List.of("capture-service", "apply-service")) {
            Set<String> read = new TreeSet<>(ADMIN_VARIABLES);
            Matcher m = ENV_PLACEHOLDER.matcher(
                    Files.readString(root.resolve(service).resolve("src/main/resources/application.yml")));
            while (m.find()) {
                read.add(m.group(1));
            }
            assertThat(environment(service).keySet())
                    .as("environment of %s: every variable must be one its application.yml reads %s", service, read)
                    .isSubsetOf(read);
        }
    }

    @Test
    void everyRequiredVariableIsInEnvExampleWithoutARealSecret() throws IOException {
        Map<String, String> example = new LinkedHashMap<>();
        for (String line : Files.readAllLines(deploy.resolve(".env.example"))) {
            String l = line.strip();
            if (l.isEmpty() || l.startsWith("#")) {
                continue;
            }
            int eq = l.indexOf('=');
            assertThat(eq).as(".env.example line %s", l).isPositive();
            example.put(l.substring(0, eq), l.substring(eq + 1));
        }
        Set<String> used = new LinkedHashSet<>();
        Matcher m = COMPOSE_VARIABLE.matcher(Files.readString(deploy.resolve("compose.yaml")));
        while (m.find()) {
            used.add(m.group(1));
        }
        assertThat(example.keySet()).as("variables in .env.example").containsAll(used);
        assertThat(used).as("variables used by compose.yaml").containsAll(example.keySet());
        example.forEach((name, value) -> {
            if (name.contains("PASSWORD")) {
                assertThat(value).as("%s in .env.example must be a placeholder", name).isEqualTo("change-me");
            }
        });
    }

    @Test
    void boundFilesExistAndNamedVolumesAreDeclared() {
        Set<String> declared = compose.get("volumes") == null ? Set.of() : map(compose.get("volumes")).keySet();
        services.forEach((name, service) -> {
            for (Object volume : list(service.get("volumes"))) {
                String source = volume instanceof String s ? s.split(":")[0] : String.valueOf(map(volume).get("source"));
                if (source.startsWith(".") || source.startsWith("/")) {
                    assertThat(deploy.resolve(source).normalize()).as("bind mount of %s", name).exists();
                } else {
                    assertThat(declared).as("named volume of %s", name).contains(source);
                }
            }
        });
    }

    @Test
    void prometheusScrapesBothServicesAndLoadsTheAlerts() throws IOException {
        Map<String, Object> prometheus = yaml(deploy.resolve("prometheus/prometheus.yml"));
        assertThat(list(prometheus.get("rule_files"))).contains("alerts.yml");
        Map<String, List<Object>> targets = new HashMap<>();
        Map<String, Object> paths = new HashMap<>();
        for (Object job : list(prometheus.get("scrape_configs"))) {
            Map<String, Object> j = map(job);
            String jobName = String.valueOf(j.get("job_name"));
            paths.put(jobName, j.get("metrics_path"));
            for (Object staticConfig : list(j.get("static_configs"))) {
                targets.computeIfAbsent(jobName, k -> new ArrayList<>()).addAll(list(map(staticConfig).get("targets")));
            }
        }
        assertThat(targets.get("bifrost-capture")).containsExactly(
                "capture-service:" + environment("capture-service").get("SERVER_PORT"));
        assertThat(targets.get("bifrost-apply")).containsExactly(
                "apply-service:" + environment("apply-service").get("SERVER_PORT"));
        assertThat(paths.get("bifrost-capture")).isEqualTo("/actuator/prometheus");
        assertThat(paths.get("bifrost-apply")).isEqualTo("/actuator/prometheus");

        Map<String, Map<String, Object>> alerts = new LinkedHashMap<>();
        for (Object group : list(yaml(deploy.resolve("prometheus/alerts.yml")).get("groups"))) {
            for (Object rule : list(map(group).get("rules"))) {
                Map<String, Object> r = map(rule);
                alerts.put(String.valueOf(r.get("alert")), r);
            }
        }
        assertThat(alerts).containsKeys("BifrostApplyLagHigh", "BifrostTargetUnreachable", "BifrostRetainedWalHigh",
                "BifrostDeadLetters", "BifrostServiceDown");
        alerts.forEach((name, rule) -> {
            assertThat(rule).as("alert %s", name).containsKeys("expr", "for", "annotations");
            assertThat(map(rule.get("annotations"))).as("annotations of %s", name).containsKey("summary");
        });
    }

    @Test
    void grafanaDashboardParsesAndHasTheTargetVariable() throws IOException {
        JsonNode dashboard = new ObjectMapper().readTree(deploy.resolve("grafana/dashboards/bifrost.json").toFile());
        assertThat(dashboard.path("uid").asText()).isEqualTo("bifrost");
        JsonNode target = null;
        for (JsonNode variable : dashboard.path("templating").path("list")) {
            if ("target".equals(variable.path("name").asText())) {
                target = variable;
            }
        }
        assertThat(target).as("template variable target").isNotNull();
        assertThat(target.path("definition").asText()).isEqualTo("label_values(bifrost_apply_lag_seconds, target)");
        assertThat(dashboard.path("panels").size()).isPositive();
    }

    // ---- helpers ----

    private static Map<String, Object> environment(String service) {
        Object environment = services.get(service).get("environment");
        Map<String, Object> result = new LinkedHashMap<>();
        if (environment instanceof List<?> entries) {
            for (Object entry : entries) {
                String e = String.valueOf(entry);
                int eq = e.indexOf('=');
                result.put(eq < 0 ? e : e.substring(0, eq), eq < 0 ? null : e.substring(eq + 1));
            }
        } else if (environment != null) {
            map(environment).forEach((k, v) -> result.put(k, v == null ? null : String.valueOf(v)));
        }
        return result;
    }

    /** The host port of a ports entry ("[ip:]host:container[/proto]" or long syntax), null if none is fixed. */
    private static String hostPort(String service, Object port) {
        if (port instanceof Map<?, ?> longSyntax) {
            Object published = longSyntax.get("published");
            return published == null ? null : String.valueOf(published);
        }
        assertThat(port).as("ports of %s must be quoted strings (YAML 1.1 reads 5432:5432 as a number)", service)
                .isInstanceOf(String.class);
        String spec = ((String) port).replaceFirst("/(tcp|udp)$", "");
        String[] parts = spec.split(":");
        return parts.length < 2 ? null : parts[parts.length - 2];
    }

    private static Path repositoryRoot() {
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            if (Files.isRegularFile(dir.resolve("deploy/compose.yaml"))) {
                return dir;
            }
        }
        throw new IllegalStateException("deploy/compose.yaml not found above " + Path.of("").toAbsolutePath());
    }

    private static Map<String, Object> yaml(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            Object loaded = new Yaml(new SafeConstructor(new LoaderOptions())).load(in);
            assertThat(loaded).as("%s", file).isInstanceOf(Map.class);
            return map(loaded);
        }
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(Object value) {
        assertThat(value).isInstanceOf(Map.class);
        return (Map<String, Object>) value;
    }

    private static List<Object> list(Object value) {
        if (value == null) {
            return List.of();
        }
        if (value instanceof List<?> l) {
            return new ArrayList<>(l);
        }
        return List.of(value);
    }
}
