package dev.bifrost.apply;

import jakarta.validation.Valid;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import java.time.Duration;
import java.util.Map;
import dev.bifrost.apply.schema.TargetTables;
import org.jspecify.annotations.Nullable;
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
 * @param replicatedAtColumn the column Bifrost adds to every target table for the source commit time of the
 *                    row's last change (default {@code replicated_at}); a table whose source has a column of that
 *                    name goes without it
 */
@Validated
@ConfigurationProperties("bifrost.apply")
public record ApplyProperties(
        @NotBlank @Pattern(regexp = "[A-Za-z0-9._-]+", message = "must be a valid Kafka topic name part") String topicPrefix,
        @NotEmpty(message = "must name at least one target") Map<@Pattern(regexp = "[a-z0-9][a-z0-9_-]*",
                message = "target names are lower-case letters, digits, _ and -") String, @Valid @NotNull Target> targets,
        @Valid @NotNull Batch batch,
        @Valid @NotNull Retry retry,
        @NotNull Duration pollTimeout,
        @Pattern(regexp = "[^\\x00]{1,63}", message = "must be a column name of 1 to 63 characters")
        @Nullable String replicatedAtColumn) {

    public ApplyProperties {
        replicatedAtColumn = replicatedAtColumn == null ? TargetTables.REPLICATED_AT : replicatedAtColumn;
    }

    /**
     * One target database; the password comes from the environment.
     *
     * @param onError what happens when a change can never be applied to this target (its own constraint, say):
     *                {@code stop} (the default) keeps the target at the last whole source transaction and shows
     *                the table, position and PostgreSQL's message on its status, trying again with back-off until
     *                the cause is fixed; {@code set-aside} writes the source transactions up to that point again
     *                change by change and sets the table of a change that fails aside: that change and every later
     *                change of the table go to the dead-letter store, in order, while the other tables go on (a
     *                source transaction may then be applied in part)
     */
    public record Target(
            @NotBlank @Pattern(regexp = "jdbc:postgresql:.*", message = "must be a jdbc:postgresql: URL") String url,
            @NotBlank String username,
            String password,
            @Nullable OnError onError) {

        public Target {
            onError = onError == null ? OnError.STOP : onError;
        }

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

    /** What a target does with a change it can never apply. */
    public enum OnError { STOP, SET_ASIDE }

    /** Exponential back-off between {@code initial} and {@code max}. */
    public record Retry(@NotNull Duration initial, @NotNull Duration max) {
    }
}
