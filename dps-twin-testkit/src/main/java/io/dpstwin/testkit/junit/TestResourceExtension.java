package io.dpstwin.testkit.junit;

import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolutionException;
import org.junit.jupiter.api.extension.ParameterResolver;

import java.util.Objects;
import java.util.Set;

/**
 * The life cycle the testkit's extensions share: one resource (a started emulator, a fake) per test class, or per
 * test when a programmatic extension sits on an instance field; declarative registrations keep theirs in the
 * extension store, so that {@code @Nested} classes use the enclosing class's; the resource is prepared before each
 * test, and parameters of the injectable types are resolved from it.
 *
 * @param <R> the resource, closed when its class (or test) ends
 */
abstract class TestResourceExtension<R extends AutoCloseable> implements BeforeAllCallback, AfterAllCallback,
        BeforeEachCallback, AfterEachCallback, ParameterResolver {

    private static final String RESOURCE = "resource";
    private static final String OWNER = "owner:";

    private final boolean programmatic;
    private final Set<Class<?>> injectable;
    private final String notRunning;
    private R own;
    private boolean perTest;

    /**
     * @param programmatic whether the extension was built in code (else an annotation configures it)
     * @param injectable   the parameter types resolved
     * @param notRunning   the message when the resource is asked for but not there
     */
    TestResourceExtension(boolean programmatic, Set<Class<?>> injectable, String notRunning) {
        this.programmatic = programmatic;
        this.injectable = Set.copyOf(injectable);
        this.notRunning = notRunning;
    }

    /** Starts the resource of a programmatic registration. */
    abstract R startProgrammatic(ExtensionContext context);

    /** Starts the resource of a declarative registration, as the test class's annotation says. */
    abstract R startDeclared(ExtensionContext context);

    /** Prepares the resource for the next test. */
    abstract void beforeTest(R resource);

    /** The value of an injectable parameter of this type. */
    abstract Object resolve(R resource, Class<?> type);

    @Override
    public void beforeAll(ExtensionContext context) {
        if (programmatic) {
            own = startProgrammatic(context);
            return;
        }
        ExtensionContext.Store store = context.getStore(namespace());
        if (store.get(RESOURCE) == null) {
            store.put(RESOURCE, startDeclared(context));
            store.put(OWNER + context.getUniqueId(), Boolean.TRUE);
        }
    }

    @Override
    public void afterAll(ExtensionContext context) {
        if (programmatic) {
            closeOwn();
            return;
        }
        ExtensionContext.Store store = context.getStore(namespace());
        if (store.remove(OWNER + context.getUniqueId()) != null) {
            close(store.remove(RESOURCE));
        }
    }

    @Override
    public void beforeEach(ExtensionContext context) {
        if (programmatic && own == null) {
            perTest = true;
            own = startProgrammatic(context);
        }
        beforeTest(resource(context));
    }

    @Override
    public void afterEach(ExtensionContext context) {
        if (programmatic && perTest) {
            closeOwn();
        }
    }

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        return injectable.contains(parameter.getParameter().getType());
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
        R current;
        try {
            current = resource(context);
        } catch (IllegalStateException e) {
            throw new ParameterResolutionException(e.getMessage(), e);
        }
        return resolve(current, parameter.getParameter().getType());
    }

    /** The resource of a programmatic registration. */
    final R own() {
        return Objects.requireNonNull(own, notRunning);
    }

    private R resource(ExtensionContext context) {
        Object current = programmatic ? own : context.getStore(namespace()).get(RESOURCE);
        if (current == null) {
            throw new IllegalStateException(notRunning);
        }
        @SuppressWarnings("unchecked")
        R resource = (R) current;
        return resource;
    }

    private ExtensionContext.Namespace namespace() {
        return ExtensionContext.Namespace.create(getClass());
    }

    private void closeOwn() {
        R started = own;
        own = null;
        close(started);
    }

    private static void close(Object resource) {
        if (resource instanceof AutoCloseable closeable) {
            try {
                closeable.close();
            } catch (RuntimeException e) {
                throw e;
            } catch (Exception e) {
                throw new IllegalStateException("Cannot close " + resource, e);
            }
        }
    }
}
