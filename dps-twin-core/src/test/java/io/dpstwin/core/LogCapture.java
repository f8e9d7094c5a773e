package io.dpstwin.core;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.slf4j.LoggerFactory;

/**
 * The log lines of one logger during each test, in {@link #list}: register it with {@code @RegisterExtension}. It
 * lowers the logger to the given level for the test (none: as configured) and restores it afterwards.
 */
public final class LogCapture extends ListAppender<ILoggingEvent> implements BeforeEachCallback, AfterEachCallback {

    private final Logger logger;
    private final Level level;
    private Level previousLevel;

    private LogCapture(String loggerName, Level level) {
        this.logger = (Logger) LoggerFactory.getLogger(loggerName);
        this.level = level;
    }

    /** Captures {@code loggerName} (and the loggers below it) at {@code level}, or as configured when null. */
    public static LogCapture of(String loggerName, Level level) {
        return new LogCapture(loggerName, level);
    }

    /** Captures the logger of {@code type} at {@code level}, or as configured when null. */
    public static LogCapture of(Class<?> type, Level level) {
        return of(type.getName(), level);
    }

    @Override
    public void beforeEach(ExtensionContext context) {
        previousLevel = logger.getLevel();
        if (level != null) {
            logger.setLevel(level);
        }
        list.clear();
        start();
        logger.addAppender(this);
    }

    @Override
    public void afterEach(ExtensionContext context) {
        logger.detachAppender(this);
        logger.setLevel(previousLevel);
        stop();
    }
}
