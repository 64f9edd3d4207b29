package io.github.orchestratorqueueroutes.export;

import java.time.Duration;
import java.time.Instant;

import io.github.orchestratorqueueroutes.folders.FolderRef;
import io.github.orchestratorqueueroutes.purge.QueueDirectory;

/** One queue's export as the route works through it. Lives in exchange variable {@value #VARIABLE}. */
public final class ExportJob {

    public static final String VARIABLE = "exportJob";

    final FolderRef folder;
    final QueueDirectory.Queue queue;
    final String stateKey;
    Long exportId;
    Instant requestedAt;
    Instant pollDeadline;
    Duration pollDelay;
    String status;
    long size = -1;
    String fileName;
    DeliveredStream delivered;
    /** The download under {@link #delivered}, to drop it when the delivery fails. */
    ResumingDownload download;
    /** For archive-then-purge: the highest item Id of the queue just before the export started. */
    Long highestItemId;
    /** The items it covers in a recurring archive; null for a whole-queue snapshot. */
    ExportWindow window;

    ExportJob(FolderRef folder, QueueDirectory.Queue queue, String stateKey) {
        this.folder = folder;
        this.queue = queue;
        this.stateKey = stateKey;
    }

    /** Milliseconds to wait before the next poll (read by the route's delay). */
    public long getPollDelayMillis() {
        return pollDelay.toMillis();
    }

    String describe() {
        return "export of queue '" + queue.name() + "' in folder " + folder.path() + " (" + folder.id() + ")"
                + (exportId == null ? "" : ", export " + exportId);
    }
}
