package dev.bifrost.apply.status;

import dev.bifrost.apply.ApplyProperties;
import dev.bifrost.model.Topics;
import io.swagger.v3.oas.annotations.Operation;
import java.util.List;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/** The apply service at a glance. */
@RestController
class ApplyStatusController {

    /** The service's status: the changelog it reads and every target's status. */
    record ApplyStatus(String topic, long logEndOffset, List<TargetStatus> targets) {
    }

    private final TargetStatuses statuses;
    private final ChangelogEnd changelogEnd;
    private final String topic;

    ApplyStatusController(TargetStatuses statuses, ChangelogEnd changelogEnd, ApplyProperties properties) {
        this.statuses = statuses;
        this.changelogEnd = changelogEnd;
        this.topic = Topics.changelog(properties.topicPrefix());
    }

    @GetMapping("/api/status")
    @Operation(summary = "The changelog read and every target's state, position and lag")
    ApplyStatus status() {
        return new ApplyStatus(topic, changelogEnd.reading().endOffset(), statuses.all());
    }
}
