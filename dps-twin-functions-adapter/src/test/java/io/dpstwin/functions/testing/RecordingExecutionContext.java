package io.dpstwin.functions.testing;

import com.microsoft.azure.functions.ExecutionContext;
import com.microsoft.azure.functions.RetryContext;
import com.microsoft.azure.functions.RpcException;

import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/**
 * An {@link ExecutionContext} whose logger records every line, so tests can assert what a function logged (and
 * what it did not: bodies, secrets). Optionally carries a {@link RetryContext}, as during a retry of an Event Hubs
 * function.
 */
public final class RecordingExecutionContext implements ExecutionContext {

    private final String functionName;
    private final String invocationId = UUID.randomUUID().toString();
    private final Logger logger;
    private final List<LogRecord> records = new CopyOnWriteArrayList<>();
    private final RetryContext retryContext;

    public RecordingExecutionContext(String functionName) {
        this(functionName, null);
    }

    private RecordingExecutionContext(String functionName, RetryContext retryContext) {
        this.functionName = functionName;
        this.retryContext = retryContext;
        this.logger = Logger.getAnonymousLogger();
        logger.setUseParentHandlers(false);
        logger.setLevel(Level.ALL);
        logger.addHandler(new Handler() {
            @Override
            public void publish(LogRecord logRecord) {
                records.add(logRecord);
            }

            @Override
            public void flush() {
                // records are kept in memory
            }

            @Override
            public void close() {
                // nothing to release
            }
        });
    }

    /** A context of the {@code retryCount}-th retry out of {@code maxRetryCount}. */
    public static RecordingExecutionContext retry(String functionName, int retryCount, int maxRetryCount) {
        return new RecordingExecutionContext(functionName, new RetryContext() {
            @Override
            public int getRetrycount() {
                return retryCount;
            }

            @Override
            public int getMaxretrycount() {
                return maxRetryCount;
            }

            @Override
            public RpcException getException() {
                return null;
            }
        });
    }

    @Override
    public Logger getLogger() {
        return logger;
    }

    @Override
    public String getInvocationId() {
        return invocationId;
    }

    @Override
    public String getFunctionName() {
        return functionName;
    }

    @Override
    public RetryContext getRetryContext() {
        return retryContext;
    }

    /** Every logged message, in order. */
    public List<String> messages() {
        return records.stream().map(LogRecord::getMessage).toList();
    }

    /** The messages logged at exactly {@code level}. */
    public List<String> messages(Level level) {
        return records.stream().filter(r -> r.getLevel().equals(level)).map(LogRecord::getMessage).toList();
    }

    /** All messages joined by new lines, for "contains" and "does not contain" assertions. */
    public String transcript() {
        return String.join("\n", messages());
    }
}
