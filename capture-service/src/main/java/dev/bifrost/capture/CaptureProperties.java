package dev.bifrost.capture;

import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import java.time.Duration;
import java.util.List;
import org.hibernate.validator.constraints.time.DurationMin;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.validation.annotation.Validated;

/**
 * Configuration of the capture side, bound from {@code bifrost.capture.*}.
 *
 * @param source          the source database (ThorDB)
 * @param slotName        logical replication slot, created on first start
 * @param publicationName publication, created on first start as {@code FOR TABLES IN SCHEMA <schemas>}
 * @param schemas         schemas whose tables are captured, including tables created later
 * @param topicPrefix     prefix of the changelog topic, {@code <prefix>.changelog}
 * @param topic           the changelog topic's settings
 * @param chunk           how large transactions are split
 * @param heartbeatInterval how often an idle source is confirmed to be idle
 * @param pollInterval    longest wait of Debezium for more changes before it hands over a partial batch, and
 *                        its pause when the WAL stream is idle: latency against CPU at low rates
 * @param restartBackoff  wait before the engine is started again after a failure
 */
@Validated
@ConfigurationProperties("bifrost.capture")
public record CaptureProperties(
        @Valid @NotNull Source source,
        @NotBlank @Pattern(regexp = "[a-z0-9_]{1,63}", message = "must be 1 to 63 characters of a-z, 0-9 and _")
        String slotName,
        @NotBlank String publicationName,
        @NotEmpty List<@NotBlank String> schemas,
        @NotBlank @Pattern(regexp = "[A-Za-z0-9._-]+", message = "must be a valid Kafka topic name part") String topicPrefix,
        @Valid @NotNull Topic topic,
        @Valid @NotNull Chunk chunk,
        @NotNull Duration heartbeatInterval,
        @NotNull @DurationMin(millis = 1) Duration pollInterval,
        @NotNull Duration restartBackoff) {

    /** Connection to the source database; the password comes from the environment. */
    public record Source(
            @NotBlank String host,
            @Min(1) @Max(65535) int port,
            @NotBlank String database,
            @NotBlank String user,
            @NotBlank(message = "must be set (THORDB_PASSWORD)") String password) {

        public String jdbcUrl() {
            return "jdbc:postgresql://" + host + ":" + port + "/" + database;
        }

        @Override
        public String toString() {
            return "Source[" + user + "@" + host + ":" + port + "/" + database + "]";
        }
    }

    /** Changelog topic settings, applied when capture-service creates the topic. */
    public record Topic(@Min(1) short replicationFactor, @NotNull Duration retention) {
    }

    /**
     * A chunk of a streamed transaction closes when either bound is reached; a chunk of the initial snapshot
     * when it holds {@code snapshotBytes} of rows (fewer, larger chunks: each costs the apply side a round trip).
     */
    public record Chunk(@Min(1) int maxChanges, @Min(1024) int maxBytes,
            @Min(1024) @Max(15 * 1024 * 1024) int snapshotBytes) {
    }
}
