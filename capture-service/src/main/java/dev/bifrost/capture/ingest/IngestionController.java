package dev.bifrost.capture.ingest;

import io.swagger.v3.oas.annotations.Operation;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.sql.SQLException;
import java.util.UUID;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RequestPart;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.multipart.MultipartFile;
import org.springframework.web.servlet.support.ServletUriComponentsBuilder;

/** Loads of SINARM files over HTTP: upload, then follow the ingestion at its Location. */
@RestController
@RequestMapping("/api/ingestions")
class IngestionController {

    private final IngestionService ingestions;

    IngestionController(IngestionService ingestions) {
        this.ingestions = ingestions;
    }

    @PostMapping(consumes = MediaType.MULTIPART_FORM_DATA_VALUE)
    @Operation(summary = "Load a SINARM CSV file (parts: dataset = ocorrencias|portes|registros, file; optional "
            + "replace=true to replace an earlier load of the same file); runs in the background (credentials)")
    ResponseEntity<IngestionView> submit(@RequestParam("dataset") String dataset,
            @RequestPart("file") MultipartFile file,
            @RequestParam(name = "replace", defaultValue = "false") boolean replace) throws IOException {
        Dataset target = Dataset.of(dataset);
        if (file.isEmpty()) {
            throw new RejectedFileException("the file is empty");
        }
        Path spooled = Files.createTempFile("bifrost-ingest-", ".csv");
        try (InputStream in = file.getInputStream()) {
            Files.copy(in, spooled, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            Files.deleteIfExists(spooled);
            throw e;
        }
        String name = file.getOriginalFilename() == null || file.getOriginalFilename().isBlank() ? "upload.csv"
                : Path.of(file.getOriginalFilename()).getFileName().toString();
        Ingestion ingestion = ingestions.submit(target, name, spooled, replace);
        URI location = ServletUriComponentsBuilder.fromCurrentRequest().path("/{id}")
                .buildAndExpand(ingestion.id()).toUri();
        return ResponseEntity.accepted().location(location).body(ingestion.view());
    }

    @GetMapping("/{id}")
    @Operation(summary = "An ingestion: state, rows loaded and rejected (with the first rejects), progress")
    IngestionView get(@PathVariable("id") String id) throws SQLException {
        UUID uuid;
        try {
            uuid = UUID.fromString(id);
        } catch (IllegalArgumentException e) {
            throw new IngestionNotFoundException(id);
        }
        return ingestions.find(uuid).orElseThrow(() -> new IngestionNotFoundException(id));
    }
}
