package dev.bifrost.apply.status;

import dev.bifrost.apply.ApplyProperties;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.health.contributor.CompositeHealthContributor;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.health.contributor.Status;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Health: one component per target under {@code targets}, and {@code changelog} for Kafka. A target that is
 * lagging, paused or unreachable reports {@code LAGGING}, {@code PAUSED} or {@code UNREACHABLE}, statuses
 * ordered after UP (see application.yml), so the service stays UP while the other targets are fine.
 */
@Configuration(proxyBeanMethods = false)
class TargetsHealth {

    static final Status LAGGING = new Status("LAGGING");
    static final Status PAUSED = new Status("PAUSED");
    static final Status UNREACHABLE = new Status("UNREACHABLE");

    @Bean
    CompositeHealthContributor targets(ApplyProperties properties, TargetStatuses statuses,
            @Value("${bifrost.apply.health.max-lag:60s}") Duration maxLag) {
        Map<String, HealthIndicator> indicators = new LinkedHashMap<>();
        for (String name : properties.targets().keySet()) {
            indicators.put(name, () -> {
                TargetStatus s = statuses.find(name);
                Health.Builder health;
                if (!s.databaseReachable()) {
                    health = Health.status(UNREACHABLE);
                } else if ("failed".equals(s.state())) {
                    health = Health.down();
                } else if ("paused".equals(s.state())) {
                    health = Health.status(PAUSED);
                } else if (s.lagSeconds() > maxLag.toSeconds()) {
                    health = Health.status(LAGGING);
                } else {
                    health = Health.up();
                }
                health.withDetail("state", s.state()).withDetail("lagSeconds", s.lagSeconds())
                        .withDetail("lagMessages", s.lagMessages()).withDetail("maxLagSeconds", maxLag.toSeconds());
                if (s.reason() != null) {
                    health.withDetail("reason", s.reason());
                }
                return health.build();
            });
        }
        return CompositeHealthContributor.fromMap(indicators);
    }

    @Bean
    HealthIndicator changelog(ChangelogEnd end) {
        return () -> {
            ChangelogEnd.Reading reading = end.reading();
            if (reading.error() != null) {
                return Health.down().withDetail("error", reading.error()).build();
            }
            return Health.up().withDetail("logEndOffset", reading.endOffset()).build();
        };
    }
}
