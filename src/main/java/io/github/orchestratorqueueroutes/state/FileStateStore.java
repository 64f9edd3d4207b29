package io.github.orchestratorqueueroutes.state;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/** A JSON file, replaced atomically (written aside, then moved), so a crash never leaves half of it. */
public class FileStateStore implements StateStore {

    private final Path file;

    public FileStateStore(Path file) {
        this.file = file;
    }

    @Override
    public String read() {
        try {
            return Files.exists(file) ? Files.readString(file, StandardCharsets.UTF_8) : null;
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read the state " + file + " (state.dir)", e);
        }
    }

    @Override
    public void write(String json) {
        try {
            Files.createDirectories(file.getParent());
            Path temp = file.resolveSibling(file.getFileName() + ".tmp");
            Files.writeString(temp, json, StandardCharsets.UTF_8);
            try {
                Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot write the state " + file + " (state.dir)", e);
        }
    }

    @Override
    public String describe() {
        return file + " (state.dir)";
    }
}
