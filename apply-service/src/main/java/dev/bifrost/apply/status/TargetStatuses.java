package dev.bifrost.apply.status;

import dev.bifrost.apply.ApplyProperties;
import dev.bifrost.apply.apply.ApplyStats;
import dev.bifrost.apply.consume.TargetReplicator;
import dev.bifrost.apply.consume.TargetReplicators;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.stereotype.Component;

/**
 * Builds each target's {@link TargetStatus} from in-memory state and the background readings (no query per
 * call), and exports the lag as metrics: {@code bifrost.apply.lag.seconds}, {@code bifrost.apply.lag.messages}
 * and {@code bifrost.apply.target.up} (1 when the target database answers), each tagged with the target.
 */
@Component
public class TargetStatuses implements SmartInitializingSingleton {

    private static final Duration FRESH = Duration.ofSeconds(2);

    private final TargetReplicators replicators;
    private final ChangelogEnd changelogEnd;
    private final TargetProbe probe;
    private final ApplyProperties properties;
    private final MeterRegistry registry;

    TargetStatuses(TargetReplicators replicators, ChangelogEnd changelogEnd, TargetProbe probe,
            ApplyProperties properties, MeterRegistry registry) {
        this.replicators = replicators;
        this.changelogEnd = changelogEnd;
        this.probe = probe;
        this.properties = properties;
        this.registry = registry;
    }

    @Override
    public void afterSingletonsInstantiated() {
        for (String target : properties.targets().keySet()) {
            Gauge.builder("bifrost.apply.lag.seconds", () -> find(target).lagSeconds()).tag("target", target)
                    .description("Source time between the newest changelog record and the newest applied one")
                    .register(registry);
            Gauge.builder("bifrost.apply.lag.messages", () -> find(target).lagMessages()).tag("target", target)
                    .description("Changelog records not yet applied").register(registry);
            Gauge.builder("bifrost.apply.target.up", () -> find(target).databaseReachable() ? 1 : 0)
                    .tag("target", target).description("1 when the target database answers").register(registry);
        }
    }

    public List<TargetStatus> all() {
        return properties.targets().keySet().stream().sorted().map(this::find).toList();
    }

    /**
     * The status of one target.
     *
     * @throws UnknownTargetException if no target has that name
     */
    public TargetStatus find(String name) {
        TargetReplicator replicator = replicators.find(name)
                .orElseThrow(() -> new UnknownTargetException(name, properties.targets().keySet()));
        ApplyStats stats = replicator.stats();
        ChangelogEnd.Reading end = changelogEnd.reading();
        TargetProbe.Probe probed = probe.probe(name);
        boolean caughtUp = stats.caughtUpWithin(FRESH);
        long applied = stats.appliedOffset();
        long lagMessages = caughtUp ? 0 : end.endOffset() < 0 ? -1 : Math.max(0, end.endOffset() - Math.max(0, applied));
        double lagSeconds = caughtUp || lagMessages == 0 ? 0
                : Math.max(0, end.maxTimestamp() - stats.appliedRecordTimestamp()) / 1000.0;
        if (applied < 0 && end.maxTimestamp() > 0 && !caughtUp) {
            lagSeconds = Math.max(0, System.currentTimeMillis() - end.maxTimestamp()) / 1000.0;
        }
        boolean reachable = probed == null || probed.reachable();
        String state;
        String reason = null;
        switch (replicator.state()) {
            case PAUSED -> state = "paused";
            case RETRYING -> {
                state = "failed";
                reason = replicator.lastError();
            }
            case STARTING -> state = "starting";
            case STOPPED -> state = "stopped";
            default -> state = lagSeconds >= 1 || (!caughtUp && lagMessages > 1) ? "catching_up" : "running";
        }
        if (replicator.pauseRequested() && !"paused".equals(state) && !"failed".equals(state)) {
            reason = "pause requested; pauses at the next transaction boundary";
        }
        if (!reachable) {
            reason = "target database unreachable: " + probed.error();
        } else if (end.error() != null && reason == null) {
            reason = end.error();
        }
        long micros = stats.lastAppliedCommitMicros();
        return new TargetStatus(name, state, reason, replicator.consumerGroup(),
                List.of(new TargetStatus.PartitionStatus(replicator.partition().topic(),
                        replicator.partition().partition(), end.endOffset(), applied, lagMessages)),
                lagMessages, lagSeconds, micros == 0 ? null : Instant.ofEpochSecond(micros / 1_000_000,
                        (micros % 1_000_000) * 1000), reachable, stats.rowsApplied(),
                probed != null && probed.deadLetters() >= 0 ? probed.deadLetters()
                        : (long) stats.deadLettersSinceStart(),
                stats.duplicates(), replicator.lastError());
    }

    /** Pauses a target at its next transaction boundary. */
    public TargetStatus pause(String name) {
        find(name);
        replicators.find(name).ifPresent(TargetReplicator::pause);
        return find(name);
    }

    public TargetStatus resume(String name) {
        find(name);
        replicators.find(name).ifPresent(TargetReplicator::resume);
        return find(name);
    }
}
