package dev.bifrost.apply;

import jakarta.validation.Valid;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import java.time.Duration;
import java.util.Map;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.validation.annotation.Validated;

/**
 * Configuration of the apply side, bound from {@code bifrost.apply.*}.
 *
 * @param topicPrefix the source's changelog topic prefix, {@code <prefix>.changelog}
 * @param targets     the target databases by name; each gets its own consumer group {@code apply-<name>}
 * @param batch       how much is applied per target transaction
 * @param retry       back-off after a failure (target unreachable, say)
 * @param pollTimeout how long one poll of the changelog waits for records
 */
@Validated
@ConfigurationProperties("bifrost.apply")
public record ApplyProperties(
        @NotBlank @Pattern(regexp = "[A-Za-z0-9._-]+", message = "must be a valid Kafka topic name part") String topicPrefix,
        @NotEmpty(message = "must name at least one target") Map<@Pattern(regexp = "[a-z0-9][a-z0-9_-]*",
                message = "target names are lower-case letters, digits, _ and -") String, @Valid @NotNull Target> targets,
        @Valid @NotNull Batch batch,
        @Valid @NotNull Retry retry,
        @NotNull Duration pollTimeout) {

    /** One target database; the password comes from the environment. */
    public record Target(
            @NotBlank @Pattern(regexp = "jdbc:postgresql:.*", message = "must be a jdbc:postgresql: URL") String url,
            @NotBlank String username,
            String password) {

        @Override
        public String toString() {
            return "Target[" + username + "@" + url + "]";
        }
    }

    /**
     * @param maxChanges   a target transaction is committed at the first transaction boundary past this many
     *                     coalesced row changes
     * @param spillChanges a source transaction larger than this is written to the target in pieces (inside
     *                     one target transaction) instead of being held in memory
     */
    public record Batch(@Min(1) int maxChanges, @Min(1) int spillChanges) {
    }

    /** Exponential back-off between {@code initial} and {@code max}. */
    public record Retry(@NotNull Duration initial, @NotNull Duration max) {
    }
}
