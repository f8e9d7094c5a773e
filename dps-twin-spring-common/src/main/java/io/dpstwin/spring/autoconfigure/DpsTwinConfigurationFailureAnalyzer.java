package io.dpstwin.spring.autoconfigure;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/**
 * Turns a {@link DpsTwinConfigurationException} into Spring Boot's "APPLICATION FAILED TO START" report: the
 * property, the problem and the fix, instead of a stack trace.
 */
public class DpsTwinConfigurationFailureAnalyzer extends AbstractFailureAnalyzer<DpsTwinConfigurationException> {

    @Override
    protected FailureAnalysis analyze(Throwable rootFailure, DpsTwinConfigurationException cause) {
        return new FailureAnalysis("dps-twin is not configured correctly: property '" + cause.property() + "': "
                + cause.problem() + ".", cause.action(), cause);
    }
}
