package io.dpstwin.functions.testing;

import io.dpstwin.core.DpsTwin;
import io.dpstwin.functions.DpsTwinFactory;
import io.dpstwin.functions.LazyDpsTwin;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

import java.util.ArrayList;
import java.util.List;

/**
 * Closes every {@link DpsTwin} a test built, after the test: register it with {@code @RegisterExtension} and build
 * through {@link #holder} or {@link #track}. Thread-safe.
 */
public final class BuiltDpsTwins implements AfterEachCallback {

    private final List<DpsTwin> built = new ArrayList<>();

    /** A holder that builds with {@code factory}; what it builds is closed after the test. */
    public LazyDpsTwin holder(DpsTwinFactory factory) {
        return new LazyDpsTwin(() -> track(factory.create()));
    }

    /** {@code dpsTwin}, to be closed after the test. */
    public DpsTwin track(DpsTwin dpsTwin) {
        synchronized (built) {
            built.add(dpsTwin);
        }
        return dpsTwin;
    }

    @Override
    public void afterEach(ExtensionContext context) {
        List<DpsTwin> toClose;
        synchronized (built) {
            toClose = new ArrayList<>(built);
            built.clear();
        }
        toClose.forEach(DpsTwin::close);
    }
}
