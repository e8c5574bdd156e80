package dev.bifrost.capture.ingest;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * The first pass over a file, before anything is written: its SHA-256 (which identifies the load), its
 * size, and whether it is what the published files are, ISO-8859-1 text.
 *
 * <p>Every byte sequence decodes as ISO-8859-1, so the check looks for what a Latin-1 file does not hold:
 * NUL bytes (binary or UTF-16 data) and UTF-8 multi-byte sequences (a lead byte followed by the right number
 * of continuation bytes, such as {@code C3 AD} for {@code í}, which in Latin-1 would read {@code Ã} plus a
 * soft hyphen and never occurs in the Portuguese text of these files). Such a file was re-saved as UTF-8 and
 * would load as mojibake, so it is refused with a message that says where.
 */
final class FileCheck {

    /** What the first pass learnt. */
    record FileFacts(String sha256, long sizeBytes) {
    }

    private FileCheck() {
    }

    static FileFacts inspect(Path file) throws IOException {
        MessageDigest digest = sha256();
        byte[] buffer = new byte[1 << 16];
        long offset = 0;
        long line = 1;
        int pending = 0;
        long sequenceStart = 0;
        try (InputStream in = Files.newInputStream(file)) {
            int n;
            while ((n = in.read(buffer)) > 0) {
                digest.update(buffer, 0, n);
                for (int i = 0; i < n; i++, offset++) {
                    int b = buffer[i] & 0xFF;
                    if (b == '\n') {
                        line++;
                    }
                    if (b == 0) {
                        throw new RejectedFileException("not an ISO-8859-1 text file: NUL byte at offset " + offset
                                + " (line " + line + "); is it binary or UTF-16?");
                    }
                    if (pending > 0 && b >= 0x80 && b <= 0xBF) {
                        if (--pending == 0) {
                            throw new RejectedFileException("not ISO-8859-1 (Latin-1) as published: the bytes at "
                                    + "offset " + sequenceStart + " (line " + line + ") are a UTF-8 sequence; "
                                    + "convert the file to ISO-8859-1, e.g. iconv -f UTF-8 -t ISO-8859-1");
                        }
                        continue;
                    }
                    pending = b >= 0xC2 && b <= 0xDF ? 1 : b >= 0xE0 && b <= 0xEF ? 2 : b >= 0xF0 && b <= 0xF4 ? 3 : 0;
                    sequenceStart = offset;
                }
            }
        }
        if (offset == 0) {
            throw new RejectedFileException("the file is empty");
        }
        return new FileFacts(HexFormat.of().formatHex(digest.digest()), offset);
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }
}
