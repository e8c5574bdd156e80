package dev.bifrost.capture.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.bifrost.capture.CaptureApplication;
import dev.bifrost.testsupport.PostgresServer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The ingestion API of the real application against a real ThorDB, with the capture engine disabled (no
 * Kafka needed): credentials for writes, 202 with a Location to follow, the load and its refinement in the
 * background, refusal and replacement of a reload, problem details for unknown ids and datasets.
 */
@SpringBootTest(classes = CaptureApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {"bifrost.capture.engine.enabled=false", "spring.kafka.admin.auto-create=false",
                "spring.kafka.bootstrap-servers=127.0.0.1:1", "logging.level.org.apache.kafka=ERROR",
                "bifrost.security.admin-user=admin", "bifrost.security.admin-password=secret"})
class IngestionApiIT {

    private static final PostgresServer POSTGRES = PostgresServer.start("ingestion-api");
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final String ADMIN = "Basic " + Base64.getEncoder()
            .encodeToString("admin:secret".getBytes(StandardCharsets.UTF_8));

    @LocalServerPort
    int port;

    private final HttpClient http = HttpClient.newHttpClient();

    @DynamicPropertySource
    static void thordb(DynamicPropertyRegistry registry) {
        POSTGRES.createDatabase("thordb");
        registry.add("bifrost.capture.source.jdbc-url", () -> POSTGRES.jdbcUrl("thordb"));
        registry.add("bifrost.capture.source.host", () -> "127.0.0.1");
        registry.add("bifrost.capture.source.port", POSTGRES::port);
        registry.add("bifrost.capture.source.user", () -> PostgresServer.USER);
        registry.add("bifrost.capture.source.password", () -> "unused");
    }

    @AfterAll
    static void stopPostgres() {
        POSTGRES.close();
    }

    @Test
    void anUploadIsLoadedAndRefinedInTheBackgroundAndCanBeFollowed() throws Exception {
        HttpResponse<String> accepted = upload("registros", LoaderIT.SAMPLES.resolve("registros.csv"), false, ADMIN);

        assertThat(accepted.statusCode()).isEqualTo(202);
        String location = accepted.headers().firstValue("Location").orElseThrow();
        assertThat(location).matches("http://localhost:" + port + "/api/ingestions/[0-9a-f-]{36}");
        assertThat(json(accepted).get("dataset").asString()).isEqualTo("registros");

        JsonNode done = awaitDone(location);
        assertThat(done.get("state").asString()).isEqualTo("succeeded");
        assertThat(done.get("rowsLoaded").asLong()).isEqualTo(SinarmSamples.REGISTROS_ROWS - 3);
        assertThat(done.get("rowsRejected").asLong()).isEqualTo(3);
        assertThat(done.get("rejects").get(0).get("line").asLong()).isEqualTo(102);
        assertThat(done.get("rejects").get(0).get("reason").asString()).contains("not a month");
        assertThat(done.get("progress").get("percent").asDouble()).isEqualTo(100.0);
        assertThat(done.get("progress").get("bytesTotal").asLong())
                .isEqualTo(Files.size(LoaderIT.SAMPLES.resolve("registros.csv")));
        assertThat(done.get("refinement").get("tables").get("fat_registros").get("inserted").asLong())
                .isEqualTo(SinarmSamples.REGISTROS_ROWS - 3);

        JsonNode again = awaitDone(upload("registros", LoaderIT.SAMPLES.resolve("registros.csv"), false, ADMIN)
                .headers().firstValue("Location").orElseThrow());
        assertThat(again.get("state").asString()).isEqualTo("failed");
        assertThat(again.get("error").asString()).contains("already loaded").contains(done.get("id").asString());

        JsonNode replaced = awaitDone(upload("registros", LoaderIT.SAMPLES.resolve("registros.csv"), true, ADMIN)
                .headers().firstValue("Location").orElseThrow());
        assertThat(replaced.get("state").asString()).isEqualTo("succeeded");
        assertThat(replaced.get("replaces").asString()).isEqualTo(done.get("id").asString());

        HttpResponse<String> refined = send(HttpRequest.newBuilder(uri("/api/refinements")).header("Authorization", ADMIN)
                .POST(HttpRequest.BodyPublishers.noBody()));
        assertThat(refined.statusCode()).isEqualTo(200);
        assertThat(json(refined).get("tables").get("fat_registros").get("inserted").asLong()).isZero();
    }

    @Test
    void writesNeedCredentials() throws Exception {
        assertThat(upload("portes", LoaderIT.SAMPLES.resolve("portes.csv"), false, null).statusCode()).isEqualTo(401);
        assertThat(send(HttpRequest.newBuilder(uri("/api/refinements")).POST(HttpRequest.BodyPublishers.noBody()))
                .statusCode()).isEqualTo(401);
    }

    @Test
    void anUnknownIngestionIsA404ProblemDetail() throws Exception {
        String id = UUID.randomUUID().toString();
        HttpResponse<String> response = send(HttpRequest.newBuilder(uri("/api/ingestions/" + id)).GET());

        assertThat(response.statusCode()).isEqualTo(404);
        assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(
                type -> assertThat(type).startsWith("application/problem+json"));
        assertThat(json(response).get("detail").asString()).isEqualTo("no ingestion with id " + id);
        assertThat(send(HttpRequest.newBuilder(uri("/api/ingestions/not-an-id")).GET()).statusCode()).isEqualTo(404);
    }

    @Test
    void anUnknownDatasetIsA400ProblemDetail() throws Exception {
        HttpResponse<String> response = upload("armas", LoaderIT.SAMPLES.resolve("portes.csv"), false, ADMIN);

        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(json(response).get("detail").asString()).contains("unknown dataset 'armas'");
    }

    private JsonNode awaitDone(String location) {
        return await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200))
                .until(() -> json(send(HttpRequest.newBuilder(URI.create(location)).GET())),
                        node -> !node.get("state").asString().equals("running"));
    }

    private HttpResponse<String> upload(String dataset, Path file, boolean replace, String authorization)
            throws IOException, InterruptedException {
        String boundary = "bifrost-" + UUID.randomUUID();
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        body.writeBytes(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"dataset\"\r\n\r\n" + dataset
                + "\r\n--" + boundary + "\r\nContent-Disposition: form-data; name=\"replace\"\r\n\r\n" + replace
                + "\r\n--" + boundary + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\""
                + file.getFileName() + "\"\r\nContent-Type: text/csv\r\n\r\n").getBytes(StandardCharsets.UTF_8));
        body.writeBytes(Files.readAllBytes(file));
        body.writeBytes(("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8));
        HttpRequest.Builder request = HttpRequest.newBuilder(uri("/api/ingestions"))
                .header("Content-Type", "multipart/form-data; boundary=" + boundary)
                .POST(HttpRequest.BodyPublishers.ofByteArray(body.toByteArray()));
        if (authorization != null) {
            request.header("Authorization", authorization);
        }
        return send(request);
    }

    private HttpResponse<String> send(HttpRequest.Builder request) throws IOException, InterruptedException {
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private URI uri(String path) {
        return URI.create("http://localhost:" + port + path);
    }

    private static JsonNode json(HttpResponse<String> response) {
        return JSON.readTree(response.body());
    }
}
