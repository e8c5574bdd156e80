package dev.bifrost.capture;

import dev.bifrost.capture.ingest.CommandMode;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;
import org.springframework.scheduling.annotation.EnableScheduling;

/**
 * Reads ThorDB's WAL with the Debezium embedded engine and publishes whole transactions to Kafka. With a
 * command as first argument ({@code ingest}, {@code refine}; see {@link CommandMode}) it runs that command
 * instead, without web server or capture engine, and exits.
 */
@SpringBootApplication
@ConfigurationPropertiesScan
@EnableScheduling
public class CaptureApplication {

    public static void main(String[] args) {
        if (CommandMode.isCommand(args)) {
            System.exit(CommandMode.run(CaptureApplication.class, args));
        }
        SpringApplication.run(CaptureApplication.class, args);
    }
}
