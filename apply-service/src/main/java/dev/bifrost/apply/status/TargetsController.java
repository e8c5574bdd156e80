package dev.bifrost.apply.status;

import io.swagger.v3.oas.annotations.Operation;
import java.util.List;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

/** The targets: their state, position and lag; pause and resume (management credentials required). */
@RestController
@RequestMapping("/api/targets")
class TargetsController {

    private final TargetStatuses statuses;

    TargetsController(TargetStatuses statuses) {
        this.statuses = statuses;
    }

    @GetMapping
    @Operation(summary = "Every target with its state, position, lag and counts")
    List<TargetStatus> targets() {
        return statuses.all();
    }

    @GetMapping("/{name}")
    @Operation(summary = "One target; 404 names the configured targets")
    TargetStatus target(@PathVariable String name) {
        return statuses.find(name);
    }

    @PostMapping("/{name}/pause")
    @ResponseStatus(HttpStatus.ACCEPTED)
    @Operation(summary = "Stop applying to this target at its next transaction boundary; the others go on")
    TargetStatus pause(@PathVariable String name) {
        return statuses.pause(name);
    }

    @PostMapping("/{name}/resume")
    @ResponseStatus(HttpStatus.ACCEPTED)
    @Operation(summary = "Apply to this target again, from where it paused")
    TargetStatus resume(@PathVariable String name) {
        return statuses.resume(name);
    }
}
