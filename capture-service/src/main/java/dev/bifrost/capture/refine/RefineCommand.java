package dev.bifrost.capture.refine;

import java.io.PrintStream;
import java.sql.SQLException;
import org.springframework.boot.ApplicationArguments;
import org.springframework.boot.ApplicationRunner;
import org.springframework.boot.ExitCodeGenerator;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.stereotype.Component;

/** {@code java -jar capture-service-*-exec.jar refine}: refreshes the star schema once and exits. */
@Component
@ConditionalOnProperty(name = "bifrost.command.name", havingValue = "refine")
class RefineCommand implements ApplicationRunner, ExitCodeGenerator {

    private final Refiner refiner;
    private final PrintStream out = System.out;
    private int exitCode;

    RefineCommand(Refiner refiner) {
        this.refiner = refiner;
    }

    @Override
    public void run(ApplicationArguments args) {
        try {
            out.println(refiner.refine().describe());
        } catch (SQLException e) {
            System.err.println("refinement failed and was rolled back: " + e.getMessage());
            exitCode = 1;
        }
    }

    @Override
    public int getExitCode() {
        return exitCode;
    }
}
