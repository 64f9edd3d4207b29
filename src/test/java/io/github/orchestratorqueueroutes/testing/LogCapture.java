package io.github.orchestratorqueueroutes.testing;

import java.io.StringWriter;

import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.core.LoggerContext;
import org.apache.logging.log4j.core.StringLayout;
import org.apache.logging.log4j.core.appender.WriterAppender;
import org.apache.logging.log4j.core.config.Configuration;
import org.apache.logging.log4j.core.config.Configurator;

/**
 * Captures everything logged while open, formatted by the product's own console layout (so its masking is part of
 * what tests see). With {@code debug} every logger, Camel's and the HTTP client's included, logs at DEBUG.
 */
public final class LogCapture implements AutoCloseable {

    private final StringWriter text = new StringWriter();
    private final WriterAppender appender;
    private final LoggerContext context;

    public LogCapture(boolean debug) {
        context = (LoggerContext) LogManager.getContext(false);
        Configuration config = context.getConfiguration();
        StringLayout layout = (StringLayout) config.getAppender("console").getLayout();
        appender = WriterAppender.createAppender(layout, null, text, "test-capture", false, true);
        appender.start();
        config.addAppender(appender);
        config.getRootLogger().addAppender(appender, Level.ALL, null);
        if (debug) {
            Configurator.setAllLevels(LogManager.ROOT_LOGGER_NAME, Level.DEBUG);
        }
        context.updateLoggers();
    }

    public synchronized String text() {
        return text.toString();
    }

    @Override
    public void close() {
        context.getConfiguration().getRootLogger().removeAppender("test-capture");
        appender.stop();
        context.reconfigure();
    }
}
