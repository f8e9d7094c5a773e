package io.dpstwin.testkit.reliability.secrets;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.filter.Filter;
import ch.qos.logback.core.spi.FilterReply;

/**
 * Keeps the console as quiet as before the log capture: {@code io.dpstwin} from INFO, everything else from WARN.
 * The loggers themselves are more verbose (TRACE for {@code io.dpstwin}) so that {@link CapturingAppender} scans
 * every line the library could ever write.
 */
public final class ConsoleFilter extends Filter<ILoggingEvent> {

    @Override
    public FilterReply decide(ILoggingEvent event) {
        int threshold = event.getLoggerName().startsWith("io.dpstwin") ? Level.INFO_INT : Level.WARN_INT;
        if (CapturingAppender.PROBE_LOGGER.equals(event.getLoggerName())) {
            return FilterReply.DENY;
        }
        return event.getLevel().toInt() >= threshold ? FilterReply.NEUTRAL : FilterReply.DENY;
    }
}
