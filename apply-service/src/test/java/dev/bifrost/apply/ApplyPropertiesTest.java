package dev.bifrost.apply;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.validation.autoconfigure.ValidationAutoConfiguration;
import org.springframework.context.annotation.Configuration;

/** Targets are configuration; a bad value stops the start and names the property. */
class ApplyPropertiesTest {

    @Configuration(proxyBeanMethods = false)
    @EnableConfigurationProperties(ApplyProperties.class)
    static class Config {
    }

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(ValidationAutoConfiguration.class))
            .withUserConfiguration(Config.class)
            .withPropertyValues("bifrost.apply.topic-prefix=thordb",
                    "bifrost.apply.targets.mjolnir.url=jdbc:postgresql://localhost:5433/mjolnirdb",
                    "bifrost.apply.targets.mjolnir.username=bifrost",
                    "bifrost.apply.batch.max-changes=50000", "bifrost.apply.batch.spill-changes=20000",
                    "bifrost.apply.retry.initial=1s", "bifrost.apply.retry.max=30s",
                    "bifrost.apply.poll-timeout=100ms");

    @Test
    void aThirdTargetIsConfigurationOnly() {
        runner.withPropertyValues("bifrost.apply.targets.asgard.url=jdbc:postgresql://db3/asgard",
                "bifrost.apply.targets.asgard.username=u", "bifrost.apply.targets.asgard.password=p")
                .run(context -> assertThat(context.getBean(ApplyProperties.class).targets())
                        .containsOnlyKeys("mjolnir", "asgard"));
    }

    @Test
    void aTargetUrlThatIsNotPostgresNamesTheProperty() {
        runner.withPropertyValues("bifrost.apply.targets.mjolnir.url=jdbc:mysql://localhost/x")
                .run(context -> assertThat(context).getFailure().rootCause()
                        .hasMessageContaining("bifrost.apply.targets[mjolnir].url")
                        .hasMessageContaining("jdbc:postgresql:"));
    }

    @Test
    void aZeroBatchSizeNamesTheProperty() {
        runner.withPropertyValues("bifrost.apply.batch.max-changes=0")
                .run(context -> assertThat(context).getFailure().rootCause()
                        .hasMessageContaining("bifrost.apply").hasMessageContaining("batch.maxChanges"));
    }
}
