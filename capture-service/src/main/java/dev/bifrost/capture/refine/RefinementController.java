package dev.bifrost.capture.refine;

import io.swagger.v3.oas.annotations.Operation;
import java.sql.SQLException;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;

/** Refreshes the star schema on demand; answers when it is committed, with what changed. */
@RestController
class RefinementController {

    private final Refiner refiner;

    RefinementController(Refiner refiner) {
        this.refiner = refiner;
    }

    @PostMapping("/api/refinements")
    @Operation(summary = "Refresh the refined star schema from the raw tables now (credentials)")
    RefinementSummary refine() throws SQLException {
        return refiner.refine();
    }
}
