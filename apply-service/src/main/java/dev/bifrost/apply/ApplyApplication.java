package dev.bifrost.apply;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

/** Applies the changelog to every configured target, whole transactions at a time, exactly once in effect. */
@SpringBootApplication
@ConfigurationPropertiesScan
public class ApplyApplication {

    public static void main(String[] args) {
        SpringApplication.run(ApplyApplication.class, args);
    }
}
