package dev.bifrost.capture.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FileCheckTest {

    @TempDir
    Path dir;

    private static final String TEXT = "ANO;MUNICÍPIO\r\n2023;SÃO PAULO\r\n2023;GOIÂNIA\r\n2022;Ribeirão Preto; ª º °\r\n";

    @Test
    void latin1TextPassesWithItsChecksum() throws IOException {
        Path file = write(TEXT.getBytes(StandardCharsets.ISO_8859_1));
        FileCheck.FileFacts facts = FileCheck.inspect(file);
        assertThat(facts.sizeBytes()).isEqualTo(Files.size(file));
        assertThat(facts.sha256()).hasSize(64).isEqualTo(FileCheck.inspect(write(Files.readAllBytes(file))).sha256());
    }

    @Test
    void utf8TextIsRejectedWithItsPlace() throws IOException {
        Path file = write(TEXT.getBytes(StandardCharsets.UTF_8));
        assertThatThrownBy(() -> FileCheck.inspect(file)).isInstanceOf(RejectedFileException.class)
                .hasMessageContaining("not ISO-8859-1").hasMessageContaining("UTF-8").hasMessageContaining("line 1");
    }

    @Test
    void binaryIsRejected() throws IOException {
        Path file = write("ANO;UF\n2023;SP\n".getBytes(StandardCharsets.UTF_16LE));
        assertThatThrownBy(() -> FileCheck.inspect(file)).isInstanceOf(RejectedFileException.class)
                .hasMessageContaining("NUL byte");
    }

    @Test
    void anEmptyFileIsRejected() throws IOException {
        Path file = write(new byte[0]);
        assertThatThrownBy(() -> FileCheck.inspect(file)).isInstanceOf(RejectedFileException.class)
                .hasMessage("the file is empty");
    }

    private Path write(byte[] bytes) throws IOException {
        return Files.write(Files.createTempFile(dir, "sinarm", ".csv"), bytes);
    }
}
