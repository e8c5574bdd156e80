package dev.bifrost.capture.ingest;

import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;

/** The ingestion API's errors as RFC 9457 problem details. */
@RestControllerAdvice(basePackageClasses = IngestionController.class)
class IngestionProblems {

    @ExceptionHandler(IngestionNotFoundException.class)
    ProblemDetail notFound(IngestionNotFoundException e) {
        return problem(HttpStatus.NOT_FOUND, "Ingestion not found", e.getMessage());
    }

    @ExceptionHandler(UnknownDatasetException.class)
    ProblemDetail unknownDataset(UnknownDatasetException e) {
        return problem(HttpStatus.BAD_REQUEST, "Unknown dataset", e.getMessage());
    }

    @ExceptionHandler(RejectedFileException.class)
    ProblemDetail rejected(RejectedFileException e) {
        return problem(HttpStatus.BAD_REQUEST, "File rejected", e.getMessage());
    }

    private static ProblemDetail problem(HttpStatus status, String title, String detail) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(status, detail);
        problem.setTitle(title);
        return problem;
    }
}
