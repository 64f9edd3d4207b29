package io.github.orchestratorqueueroutes.run;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

import org.apache.camel.Exchange;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Request files in {@code requests.dir} (route {@code jobs-on-request}): reads one, and afterwards leaves the run
 * summary beside it in {@code .done/}, or the reason it was rejected in {@code .failed/}.
 */
public class RunRequests {

    /** Where the consumer moves the request file afterwards: .done or .failed (the route's move expression). */
    public static final String OUTCOME = "requestOutcome";
    public static final String VALID = "requestValid";
    private static final String NAME = "requestFile";
    private static final Logger LOG = LoggerFactory.getLogger(RunRequests.class);

    private final Path dir;
    private final RunJournal journal;

    public RunRequests(Path dir, RunJournal journal) {
        this.dir = dir;
        this.journal = journal;
    }

    /** Reads the request; a rejected one gets its reason in .failed/ and no run. */
    public void read(Exchange exchange) {
        // the run clears message headers, so the file's name is kept in a variable
        String name = exchange.getMessage().getHeader(Exchange.FILE_NAME_ONLY, String.class);
        exchange.setVariable(NAME, name);
        try {
            RunRequest request = RunRequest.parse(exchange.getMessage().getBody(String.class));
            exchange.setVariable(RunRequest.VARIABLE, request);
            exchange.setVariable(RunJournal.WAIT_FOR_TURN, true);
            exchange.setVariable(OUTCOME, ".done");
            exchange.setVariable(VALID, true);
            LOG.info("Request {} accepted: {}", name, request);
        } catch (RunRequest.InvalidRequestException e) {
            LOG.warn("Request {} rejected: {} It goes to .failed/.", name, e.getMessage());
            write(dir.resolve(".failed").resolve(name + ".error.txt"), e.getMessage() + System.lineSeparator());
            exchange.setVariable(OUTCOME, ".failed");
            exchange.setVariable(VALID, false);
        }
    }

    /** The request ran (whatever its outcome): its summary goes beside it. */
    public void done(Exchange exchange) {
        String name = exchange.getVariable(NAME, String.class);
        RunJournal.RunSummary summary = journal.lastRun();
        try {
            Files.createDirectories(dir.resolve(".done"));
            Files.copy(summary.summaryFile(), dir.resolve(".done").resolve(name + ".summary.json"),
                    StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot write the summary of request " + name, e);
        }
        LOG.info("Request {} done: run {}, exit code {}", name, summary.runId(), summary.exitCode());
    }

    private static void write(Path file, String text) {
        try {
            Files.createDirectories(file.getParent());
            Files.writeString(file, text, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot write " + file, e);
        }
    }
}
