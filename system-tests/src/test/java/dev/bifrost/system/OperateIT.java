package dev.bifrost.system;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Operating Bifrost: status, lag and health move as replication runs, a stopped target shows as such while
 * the other stays current, pause and resume, credentials for management writes, problem details, and every
 * metric that README documents is exported.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class OperateIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration WAIT = Duration.ofMinutes(2);

    private BifrostStack stack;

    @BeforeAll
    void startStack() {
        stack = new BifrostStack();
        stack.startServices();
    }

    @AfterAll
    void stopStack() throws Exception {
        if (stack != null) {
            stack.close();
        }
    }

    @Test
    @Order(1)
    void managementWritesNeedCredentialsAndReadsDoNot() throws Exception {
        assertThat(stack.apply.post("/api/targets/mjolnir/pause", null, null).status()).isEqualTo(401);
        assertThat(stack.apply.post("/api/targets/mjolnir/pause", BifrostStack.ADMIN_USER, "wrong").status())
                .isEqualTo(401);
        assertThat(target("mjolnir").get("state").asText()).isNotEqualTo("paused");

        ServiceProcess.Response paused = stack.apply.post("/api/targets/mjolnir/pause", BifrostStack.ADMIN_USER,
                BifrostStack.ADMIN_PASSWORD);
        assertThat(paused.status()).isEqualTo(202);
        await().atMost(WAIT).until(() -> "paused".equals(target("mjolnir").get("state").asText()));
        assertThat(stack.apply.post("/api/targets/mjolnir/resume", BifrostStack.ADMIN_USER,
                BifrostStack.ADMIN_PASSWORD).status()).isEqualTo(202);
        await().atMost(WAIT).until(() -> !"paused".equals(target("mjolnir").get("state").asText()));

        assertThat(stack.apply.get("/api/status").status()).isEqualTo(200);
        assertThat(stack.capture.get("/api/status").status()).isEqualTo(200);
        assertThat(stack.apply.get("/v3/api-docs").body()).contains("/api/targets/{name}/pause");
        assertThat(stack.apply.get("/actuator/env").status()).as("only health, info, prometheus are exposed")
                .isIn(401, 404);
    }

    @Test
    @Order(2)
    void anUnknownTargetIsAProblemThatNamesTheKnownOnes() throws Exception {
        ServiceProcess.Response response = stack.apply.get("/api/targets/asgard");

        assertThat(response.status()).isEqualTo(404);
        assertThat(response.contentType()).startsWith("application/problem+json");
        JsonNode problem = JSON.readTree(response.body());
        assertThat(problem.get("status").asInt()).isEqualTo(404);
        assertThat(problem.get("detail").asText()).contains("asgard").contains("mjolnir").contains("stormbreaker");
        assertThat(problem.get("knownTargets")).extracting(JsonNode::asText)
                .containsExactly("mjolnir", "stormbreaker");
    }

    @Test
    @Order(3)
    void pausingOneTargetLeavesTheOtherCurrent() throws Exception {
        long before = count("mjolnirdb", "raw.portes");
        stack.apply.post("/api/targets/mjolnir/pause", BifrostStack.ADMIN_USER, BifrostStack.ADMIN_PASSWORD);
        await().atMost(WAIT).until(() -> "paused".equals(target("mjolnir").get("state").asText()));

        insertPortes(10, 300);

        await().atMost(WAIT).untilAsserted(() -> {
            assertThat(stack.differences(List.of("stormbreakerdb"))).isEmpty();
            assertThat(target("stormbreaker").get("lagMessages").asLong()).isZero();
        });
        await().atMost(WAIT).until(() -> target("mjolnir").get("lagMessages").asLong() > 0);
        assertThat(count("mjolnirdb", "raw.portes")).as("a paused target applies nothing").isEqualTo(before);
        assertThat(health().at("/components/targets/components/mjolnir/status").asText()).isEqualTo("PAUSED");

        stack.apply.post("/api/targets/mjolnir/resume", BifrostStack.ADMIN_USER, BifrostStack.ADMIN_PASSWORD);
        stack.awaitTargetsEqualSource(WAIT);
        await().atMost(WAIT).until(() -> target("mjolnir").get("lagMessages").asLong() == 0);
        assertThat(target("mjolnir").at("/rowsApplied/raw.portes/insert").asLong()).isGreaterThanOrEqualTo(3000);
    }

    @Test
    @Order(4)
    void aStoppedTargetShowsItsLagWhileTheOtherStaysCurrent() throws Exception {
        stack.targets.get("stormbreakerdb").stop();
        try {
            insertPortes(5, 200);
            await().atMost(WAIT).until(() -> target("stormbreaker").get("lagMessages").asLong() > 0
                    && !target("stormbreaker").get("databaseReachable").asBoolean());
            double first = target("stormbreaker").get("lagSeconds").asDouble();
            await().atMost(WAIT).until(() -> target("stormbreaker").get("lagSeconds").asDouble() > first + 1);
            JsonNode health = health();
            assertThat(health.at("/components/targets/components/stormbreaker/status").asText())
                    .isEqualTo("UNREACHABLE");
            assertThat(health.at("/components/targets/components/mjolnir/status").asText()).isEqualTo("UP");
            assertThat(health.get("status").asText()).as("the other target is fine: the service is not down")
                    .isEqualTo("UP");
            assertThat(stack.differences(List.of("mjolnirdb"))).isEmpty();
            assertThat(target("mjolnir").get("lagSeconds").asDouble()).isZero();
        } finally {
            stack.targets.get("stormbreakerdb").restart();
        }
        stack.awaitTargetsEqualSource(WAIT);
        await().atMost(WAIT).until(() -> target("stormbreaker").get("lagMessages").asLong() == 0
                && target("stormbreaker").get("lagSeconds").asDouble() == 0
                && "UP".equals(health().at("/components/targets/components/stormbreaker/status").asText()));
    }

    @Test
    @Order(5)
    void anIdleSourceKeepsLagSecondsAtZero() throws Exception {
        await().atMost(WAIT).until(() -> target("mjolnir").get("lagSeconds").asDouble() == 0
                && target("stormbreaker").get("lagSeconds").asDouble() == 0);
        List<String> nonZero = new ArrayList<>();
        long end = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        int samples = 0;
        while (System.nanoTime() < end) {
            for (String name : List.of("mjolnir", "stormbreaker")) {
                JsonNode t = target(name);
                if (t.get("lagSeconds").asDouble() != 0) {
                    nonZero.add(name + ": " + t);
                }
            }
            samples++;
            Thread.sleep(500); // the sampling interval: this test watches a steady state, it waits for nothing

        }
        assertThat(samples).isGreaterThan(30);
        assertThat(nonZero).as("lag seconds while the source is idle").isEmpty();
        JsonNode capture = JSON.readTree(stack.capture.get("/api/status").body());
        assertThat(capture.get("state").asText()).isEqualTo("streaming");
        assertThat(capture.at("/slot/exists").asBoolean()).isTrue();
    }

    @Test
    @Order(6)
    void everyMetricTheReadmeDocumentsIsExportedWithItsTags() throws Exception {
        String readme = Files.readString(Path.of("..", "README.md"));
        Matcher rows = Pattern.compile("\\| `(bifrost_[a-z_]+|jvm_[a-z_]+|http_[a-z_]+)` \\| (capture|apply) \\| ([^|]*) \\|")
                .matcher(readme);
        String capture = stack.capture.get("/actuator/prometheus").body();
        String apply = stack.apply.get("/actuator/prometheus").body();
        int documented = 0;
        List<String> missing = new ArrayList<>();
        while (rows.find()) {
            documented++;
            String name = rows.group(1);
            String scrape = rows.group(2).equals("capture") ? capture : apply;
            List<String> tags = Pattern.compile("`([a-z_]+)`").matcher(rows.group(3)).results()
                    .map(m -> m.group(1)).toList();
            boolean found = scrape.lines().filter(line -> line.startsWith(name + "{") || line.startsWith(name + " "))
                    .anyMatch(line -> tags.stream().allMatch(tag -> line.contains(tag + "=\"")));
            if (!found) {
                missing.add(name + " " + tags + " (" + rows.group(2) + ")");
            }
        }
        assertThat(documented).as("metrics documented in README").isGreaterThanOrEqualTo(10);
        assertThat(missing).as("documented but not exported").isEmpty();
    }

    @Test
    @Order(7)
    void everyMetricTheDashboardAndTheAlertsQueryIsExported() throws Exception {
        String queries = Files.readString(Path.of("..", "deploy", "grafana", "dashboards", "bifrost.json"))
                + Files.readString(Path.of("..", "deploy", "prometheus", "alerts.yml"));
        String scrapes = stack.capture.get("/actuator/prometheus").body() + stack.apply.get("/actuator/prometheus").body();
        List<String> queried = Pattern.compile("\\b((?:bifrost|jvm|http)_[a-z_]+)").matcher(queries).results()
                .map(m -> m.group(1)).distinct().toList();

        assertThat(queried).as("metrics queried by the dashboard and alerts").hasSizeGreaterThanOrEqualTo(10);
        assertThat(queried).allSatisfy(metric -> assertThat(scrapes.lines()
                .anyMatch(line -> line.startsWith(metric + "{") || line.startsWith(metric + " ")))
                .as(metric + " exported").isTrue());
    }

    private JsonNode target(String name) throws Exception {
        ServiceProcess.Response response = stack.apply.get("/api/targets/" + name);
        assertThat(response.status()).isEqualTo(200);
        return JSON.readTree(response.body());
    }

    private JsonNode health() throws Exception {
        return JSON.readTree(stack.apply.get("/actuator/health").body());
    }

    private void insertPortes(int transactions, int rows) throws SQLException {
        try (Connection c = stack.source(); Statement s = c.createStatement()) {
            for (int i = 0; i < transactions; i++) {
                s.execute("INSERT INTO raw.portes (uf, municipio, total) SELECT 'AM', 'Manaus', g "
                        + "FROM generate_series(1, " + rows + ") g");
            }
        }
    }

    private long count(String database, String table) throws SQLException {
        try (Connection c = stack.target(database); Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT count(*) FROM " + table)) {
            rs.next();
            return rs.getLong(1);
        } catch (SQLException noTableYet) {
            return 0;
        }
    }
}
