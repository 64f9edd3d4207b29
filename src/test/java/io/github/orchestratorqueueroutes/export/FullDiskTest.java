package io.github.orchestratorqueueroutes.export;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import io.github.orchestratorqueueroutes.testing.AgainstSimulator;
import io.github.orchestratorqueueroutes.testing.ProductRun;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * A target folder without space is reported as the target's failure, with the system's reason, not as a download
 * that broke off: the operator must look at the disk, not at the network. A real 2 MiB tmpfs is the full disk.
 */
class FullDiskTest extends AgainstSimulator {

    private Path tiny;

    @AfterEach
    void unmount() throws Exception {
        if (tiny != null) {
            new ProcessBuilder("umount", tiny.toString()).inheritIO().start().waitFor(30, TimeUnit.SECONDS);
        }
    }

    @Test
    void aFullDiskIsNamedAsSuchAndLeavesNothingUnderTheFinalName() throws Exception {
        Path folder = Files.createDirectories(out.resolve("tiny"));
        mountTinyFilesystem(folder);
        product.simulator().exports().syntheticSize(4_000_000);

        ProductRun.Result run = product.exportOnly("Queue Demo").with("export.target", "file:" + folder).runOnce();

        assertThat(run.exitCode()).isEqualTo(1);
        String error = run.audit().get(0).get("error").asText();
        assertThat(error).contains("to file:" + folder + " failed").contains("No space left on device")
                .doesNotContain("broke off");
        assertThat(run.summary().get("failures").get(0).get("error").asText()).isEqualTo(error);
        try (Stream<Path> files = Files.list(folder)) {
            assertThat(files).as("nothing under the final name, no temporary file left").isEmpty();
        }
    }

    private void mountTinyFilesystem(Path folder) throws IOException, InterruptedException {
        Process mount = new ProcessBuilder("mount", "-t", "tmpfs", "-o", "size=2m", "tmpfs", folder.toString())
                .redirectErrorStream(true).start();
        String output = new String(mount.getInputStream().readAllBytes());
        boolean mounted = mount.waitFor(30, TimeUnit.SECONDS) && mount.exitValue() == 0;
        if (!mounted && "true".equals(System.getenv("CI"))) {
            throw new IllegalStateException("CI must be able to mount a tmpfs (it runs as root): " + output);
        }
        Assumptions.assumeTrue(mounted, "cannot mount a tmpfs here (needs root): " + output);
        tiny = folder;
    }
}
