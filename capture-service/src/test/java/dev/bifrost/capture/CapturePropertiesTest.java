package dev.bifrost.capture;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.validation.autoconfigure.ValidationAutoConfiguration;
import org.springframework.context.annotation.Configuration;

/** A bad configuration value stops the start and names the property. */
class CapturePropertiesTest {

    @Configuration(proxyBeanMethods = false)
    @EnableConfigurationProperties(CaptureProperties.class)
    static class Config {
    }

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(ValidationAutoConfiguration.class))
            .withUserConfiguration(Config.class)
            .withPropertyValues(
                    "bifrost.capture.source.host=localhost", "bifrost.capture.source.port=5432",
                    "bifrost.capture.source.database=thordb", "bifrost.capture.source.user=bifrost",
                    "bifrost.capture.source.password=secret", "bifrost.capture.slot-name=bifrost",
                    "bifrost.capture.publication-name=bifrost", "bifrost.capture.schemas=raw,refined",
                    "bifrost.capture.topic-prefix=thordb", "bifrost.capture.topic.replication-factor=1",
                    "bifrost.capture.topic.retention=7d", "bifrost.capture.chunk.max-changes=2000",
                    "bifrost.capture.chunk.max-bytes=1048576", "bifrost.capture.chunk.snapshot-bytes=8388608", "bifrost.capture.heartbeat-interval=1s",
                    "bifrost.capture.poll-interval=10ms",
                    "bifrost.capture.restart-backoff=5s");

    @Test
    void aValidConfigurationBinds() {
        runner.run(context -> {
            assertThat(context).hasNotFailed();
            CaptureProperties properties = context.getBean(CaptureProperties.class);
            assertThat(properties.schemas()).containsExactly("raw", "refined");
            assertThat(properties.source().toString()).doesNotContain("secret");
        });
    }

    @Test
    void aMissingPasswordNamesTheProperty() {
        runner.withPropertyValues("bifrost.capture.source.password=").run(context -> assertThat(context)
                .getFailure().rootCause().hasMessageContaining("bifrost.capture.source.password")
                .hasMessageContaining("THORDB_PASSWORD"));
    }

    @Test
    void anInvalidSlotNameNamesTheProperty() {
        runner.withPropertyValues("bifrost.capture.slot-name=Bad-Slot").run(context -> assertThat(context)
                .getFailure().rootCause().hasMessageContaining("bifrost.capture.slot-name"));
    }

    @Test
    void aPortOutOfRangeNamesTheProperty() {
        runner.withPropertyValues("bifrost.capture.source.port=70000").run(context -> assertThat(context)
                .getFailure().rootCause().hasMessageContaining("bifrost.capture.source.port"));
    }

    @Test
    void aPollIntervalBelowOneMillisecondNamesTheProperty() {
        runner.withPropertyValues("bifrost.capture.poll-interval=500us").run(context -> assertThat(context)
                .getFailure().rootCause().hasMessageContaining("bifrost.capture.poll-interval"));
    }
}
