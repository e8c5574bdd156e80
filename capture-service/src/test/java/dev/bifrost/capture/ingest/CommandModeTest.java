package dev.bifrost.capture.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class CommandModeTest {

    @Test
    void recognisesTheCommands() {
        assertThat(CommandMode.isCommand(new String[] {"ingest", "--dataset", "registros"})).isTrue();
        assertThat(CommandMode.isCommand(new String[] {"refine"})).isTrue();
        assertThat(CommandMode.isCommand(new String[] {"--server.port=8081"})).isFalse();
        assertThat(CommandMode.isCommand(new String[0])).isFalse();
    }

    @Test
    void ingestArgumentsBecomePropertiesWithTheEngineOffAndNoWebServer() {
        assertThat(CommandMode.properties(new String[] {"ingest", "--dataset", "registros", "--file", "/tmp/r.csv",
                "--replace"}))
                .contains("--bifrost.command.name=ingest", "--bifrost.capture.engine.enabled=false",
                        "--bifrost.command.dataset=registros", "--bifrost.command.file=/tmp/r.csv",
                        "--bifrost.command.replace=true");
        assertThat(CommandMode.properties(new String[] {"ingest", "--dataset=portes", "--file=p.csv"}))
                .contains("--bifrost.command.dataset=portes", "--bifrost.command.replace=false");
    }

    @Test
    void usageErrorsSayWhat() {
        assertThatThrownBy(() -> CommandMode.properties(new String[] {"ingest", "--file", "x.csv"}))
                .hasMessageContaining("--dataset");
        assertThatThrownBy(() -> CommandMode.properties(new String[] {"ingest", "--dataset", "armas", "--file", "x"}))
                .hasMessageContaining("unknown dataset 'armas'");
        assertThatThrownBy(() -> CommandMode.properties(new String[] {"ingest", "--dataset", "--file", "x"}))
                .hasMessageContaining("--dataset needs a value");
        assertThatThrownBy(() -> CommandMode.properties(new String[] {"refine", "now"}))
                .hasMessageContaining("refine takes no arguments");
    }
}
