package io.github.orchestratorqueueroutes.folders;

/** A folder the run works in: its id (sent in the folder header) and its full path (for people). */
public record FolderRef(long id, String path) {

    /** The exchange variable that holds the folder a job is working in. */
    public static final String VARIABLE = "folder";
}
