package io.github.orchestratorqueueroutes.testing;

import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.util.HexFormat;

/** SHA-256 of what a test compares: a delivered file and what the simulator served. */
public final class Checksums {

    private Checksums() {
    }

    public static String sha256(InputStream in) throws Exception {
        MessageDigest digest = MessageDigest.getInstance("SHA-256");
        try (DigestInputStream d = new DigestInputStream(in, digest)) {
            d.transferTo(OutputStream.nullOutputStream());
        }
        return HexFormat.of().formatHex(digest.digest());
    }

    public static String sha256(Path file) throws Exception {
        return sha256(Files.newInputStream(file));
    }
}
