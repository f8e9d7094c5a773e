package io.dpstwin.functions;

import io.dpstwin.core.config.SettingsException;

import java.util.List;

/**
 * The function app's settings are missing or invalid. The message names every offending setting as the app wrote it
 * and what it expects; it never contains the value of a secret setting (connection strings, keys).
 */
public final class FunctionsSettingsException extends SettingsException {

    private static final long serialVersionUID = 1L;

    FunctionsSettingsException(List<Problem> problems) {
        super(problems);
    }
}
