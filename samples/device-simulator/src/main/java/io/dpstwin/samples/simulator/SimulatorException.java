package io.dpstwin.samples.simulator;

/** A device of the simulator failed: registration refused, hub unreachable, a message not acknowledged. */
public final class SimulatorException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    SimulatorException(String message) {
        super(message);
    }

    SimulatorException(String message, Throwable cause) {
        super(message, cause);
    }
}
