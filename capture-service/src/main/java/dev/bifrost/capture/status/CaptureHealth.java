package dev.bifrost.capture.status;

import dev.bifrost.capture.engine.CaptureEngine;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.util.unit.DataSize;

/**
 * Health components: {@code engine} (the Debezium engine runs), {@code slot} (exists, and retains less WAL
 * than {@code bifrost.capture.health.max-retained-wal}), {@code kafka} (the cluster answers); ThorDB itself
 * is Boot's {@code db} component. Also the {@code bifrost.capture.engine.up} gauge.
 */
@Configuration(proxyBeanMethods = false)
class CaptureHealth {

    @Bean
    HealthIndicator engine(CaptureEngine engine, MeterRegistry registry) {
        Gauge.builder("bifrost.capture.engine.up", () -> engine.state() == CaptureEngine.State.RUNNING ? 1 : 0)
                .description("1 while the capture engine runs").register(registry);
        return () -> switch (engine.state()) {
            case RUNNING -> Health.up().build();
            case STARTING -> Health.unknown().withDetail("state", "starting").build();
            case FAILED -> Health.down().withDetail("reason", String.valueOf(engine.lastError())).build();
            case STOPPED -> Health.outOfService().build();
        };
    }

    @Bean
    HealthIndicator slot(SourceMonitor monitor,
            @Value("${bifrost.capture.health.max-retained-wal:1GB}") DataSize maxRetained) {
        return () -> {
            SourceMonitor.Slot slot = monitor.slot();
            Health.Builder health = slot.error() != null ? Health.down().withDetail("error", slot.error())
                    : !slot.exists() ? Health.down().withDetail("reason", "replication slot does not exist (yet)")
                    : slot.retainedWalBytes() > maxRetained.toBytes()
                            ? Health.down().withDetail("reason", "slot retains more WAL than "
                                    + maxRetained + "; is the capture keeping up?")
                            : Health.up();
            return health.withDetail("active", slot.active()).withDetail("retainedWalBytes", slot.retainedWalBytes())
                    .withDetail("maxRetainedWalBytes", maxRetained.toBytes()).build();
        };
    }

    @Bean
    HealthIndicator kafka(KafkaProbe probe) {
        return () -> probe.error() == null ? Health.up().withDetail("brokers", probe.brokers()).build()
                : Health.down().withDetail("error", probe.error()).build();
    }
}
