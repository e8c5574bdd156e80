package dev.bifrost.apply.status;

import java.net.URI;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;

/** Maps domain failures to RFC 9457 problem details, in one place. */
@RestControllerAdvice
class ProblemDetailsAdvice {

    @ExceptionHandler(UnknownTargetException.class)
    ProblemDetail unknownTarget(UnknownTargetException e) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.NOT_FOUND, e.getMessage());
        problem.setTitle("Unknown target");
        problem.setType(URI.create("https://bifrost.dev/problems/unknown-target"));
        problem.setProperty("knownTargets", e.known());
        return problem;
    }
}
