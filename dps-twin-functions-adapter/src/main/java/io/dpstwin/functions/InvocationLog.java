package io.dpstwin.functions;

import com.microsoft.azure.functions.ExecutionContext;
import io.dpstwin.core.support.Redaction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.logging.Level;

/**
 * Writes a handler's log lines to the invocation's logger (which the Functions host forwards to its log and
 * Application Insights, tied to the invocation), or to SLF4J when there is no context. Lines carry ids, counts and
 * outcomes only, never a body or a secret.
 */
final class InvocationLog {

    private static final Logger LOG = LoggerFactory.getLogger("io.dpstwin.functions");

    private InvocationLog() {
    }

    static void info(ExecutionContext context, String message) {
        log(context, Level.INFO, message);
    }

    static void warning(ExecutionContext context, String message) {
        log(context, Level.WARNING, message);
    }

    static void severe(ExecutionContext context, String message) {
        log(context, Level.SEVERE, message);
    }

    private static void log(ExecutionContext context, Level level, String message) {
        java.util.logging.Logger logger = context == null ? null : context.getLogger();
        if (logger != null) {
            logger.log(level, message);
        } else if (level == Level.SEVERE) {
            LOG.error(message);
        } else if (level == Level.WARNING) {
            LOG.warn(message);
        } else {
            LOG.info(message);
        }
    }

    /** What may be logged of a failure to build dps-twin: its type and redacted message, never a stack trace. */
    static String describe(Throwable failure) {
        if (failure instanceof FunctionsSettingsException) {
            return failure.getMessage();
        }
        String message = failure.getMessage();
        return failure.getClass().getSimpleName()
                + (message == null ? "" : ": " + Redaction.redactText(message));
    }
}
