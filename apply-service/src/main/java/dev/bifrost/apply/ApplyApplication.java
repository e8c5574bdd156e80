package dev.bifrost.apply;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;
import org.springframework.scheduling.annotation.EnableScheduling;

/** Applies the changelog to every configured target, whole transactions at a time, exactly once in effect. */
@SpringBootApplication
@ConfigurationPropertiesScan
@EnableScheduling
public class ApplyApplication {

    public static void main(String[] args) {
        SpringApplication.run(ApplyApplication.class, args);
    }
}
