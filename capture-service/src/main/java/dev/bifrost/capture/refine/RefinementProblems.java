package dev.bifrost.capture.refine;

import java.sql.SQLException;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;

/** A refresh that failed (ThorDB unreachable, say) as a problem detail; nothing of it was committed. */
@RestControllerAdvice(basePackageClasses = RefinementController.class)
class RefinementProblems {

    @ExceptionHandler(SQLException.class)
    ProblemDetail failed(SQLException e) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.SERVICE_UNAVAILABLE,
                "the refinement failed and was rolled back: " + e.getMessage());
        problem.setTitle("Refinement failed");
        return problem;
    }
}
