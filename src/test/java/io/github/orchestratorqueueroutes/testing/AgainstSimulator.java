package io.github.orchestratorqueueroutes.testing;

import java.nio.file.Path;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;

/** Tests that run the real application against a fresh simulator and a temporary output folder. */
public abstract class AgainstSimulator {

    @TempDir
    protected Path out;
    protected ProductRun product;

    @BeforeEach
    void startSimulator() {
        product = new ProductRun(out);
    }

    @AfterEach
    void stopSimulator() {
        product.close();
    }
}
