package io.dpstwin.functions;

import io.dpstwin.core.DpsTwin;

/**
 * Builds the process's {@link DpsTwin}. {@link LazyDpsTwin} calls it once, on the first invocation that needs it;
 * {@link FunctionsDpsTwinFactory} is the one built from app settings.
 */
@FunctionalInterface
public interface DpsTwinFactory {

    /**
     * @return a new, ready {@link DpsTwin}, never {@code null}
     * @throws RuntimeException when it cannot be built, e.g. a {@link FunctionsSettingsException}
     */
    DpsTwin create();
}
