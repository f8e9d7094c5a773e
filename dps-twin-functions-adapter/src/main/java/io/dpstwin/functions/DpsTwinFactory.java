package io.dpstwin.functions;

import io.dpstwin.core.DpsTwin;

/**
 * Builds the process's {@link DpsTwin}. {@link LazyDpsTwin} calls it once, on the first invocation that needs it;
 * {@link FunctionsDpsTwinFactory} is the one built from app settings. It also says how the app's reconcile timer
 * runs ({@link #applyReconcile()}), which is configuration of the app rather than of the instance.
 */
@FunctionalInterface
public interface DpsTwinFactory {

    /**
     * @return a new, ready {@link DpsTwin}, never {@code null}
     * @throws RuntimeException when it cannot be built, e.g. a {@link FunctionsSettingsException}
     */
    DpsTwin create();

    /**
     * Whether the reconcile timer ({@link ReconcileTimerHandler}) repairs the drift it finds ({@code true}) or only
     * reports it ({@code false}: a dry run, the default). Asked on every timer invocation.
     *
     * @throws RuntimeException when it cannot tell, e.g. a {@link FunctionsSettingsException}
     */
    default boolean applyReconcile() {
        return false;
    }
}
