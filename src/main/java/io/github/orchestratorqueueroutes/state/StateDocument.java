package io.github.orchestratorqueueroutes.state;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.orchestratorqueueroutes.config.InvalidSettingException;

/**
 * One JSON object in a {@link StateStore}. A document that cannot be read stops the run with exit code 2 naming it:
 * guessing (starting afresh, skipping what it recorded) could spend the tenant's export budget twice or leave content
 * uncleared.
 */
public final class StateDocument {

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private final StateStore store;
    private final String what;

    /** @param what what the document holds, for messages ("export state", "purge marks") */
    public StateDocument(StateStore store, String what) {
        this.store = store;
        this.what = what;
    }

    /** The document's name for a tenant, the same in a folder and in ZooKeeper. */
    public static String nameFor(String prefix, String tenant) {
        return prefix + "-" + shortHash(tenant) + ".json";
    }

    public ObjectNode read() {
        String json = store.read();
        if (json == null || json.isBlank()) {
            return JSON.createObjectNode();
        }
        try {
            return (ObjectNode) JSON.readTree(json);
        } catch (IOException | ClassCastException e) {
            throw unreadable(e.getClass().getSimpleName());
        }
    }

    /** For a document whose JSON parses but holds a value that does not. */
    public InvalidSettingException unreadable(String why) {
        return new InvalidSettingException("state.dir", "holds the " + what + " " + store.describe()
                + ", which cannot be read (" + why + "). Restore it from a backup, or remove it to start afresh "
                + "(see README \"When runs happen\").");
    }

    public void write(ObjectNode document) {
        try {
            store.write(JSON.writeValueAsString(document));
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot write the " + what + " " + store.describe(), e);
        }
    }

    public static String shortHash(String text) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest, 0, 6);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
