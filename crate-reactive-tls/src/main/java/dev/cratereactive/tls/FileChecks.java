package dev.cratereactive.tls;

import java.nio.file.Files;
import java.nio.file.Path;

/** Checks a configured file before it is parsed, so the message says what is wrong with the file itself. */
final class FileChecks {

    private FileChecks() {
    }

    static void requireReadable(String option, String role, Path file) {
        if (!Files.exists(file)) {
            throw new IllegalArgumentException(option + ": " + role + " " + file + " does not exist");
        }
        if (Files.isDirectory(file)) {
            throw new IllegalArgumentException(option + ": " + role + " " + file + " is a directory, not a file");
        }
        if (!Files.isReadable(file)) {
            throw new IllegalArgumentException(option + ": " + role + " " + file + " is not readable (check its permissions)");
        }
    }
}
