package io.dpstwin.docs.check;

import io.dpstwin.functions.FunctionsSettings;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.Collections;
import java.util.Set;
import java.util.TreeSet;

/** The app settings {@link FunctionsSettings} names: the values of its public static final String constants. */
public final class FunctionsSettingNames {

    private static final Set<String> NAMES = read();

    private FunctionsSettingNames() {
    }

    /** Every setting name, sorted. */
    public static Set<String> all() {
        return NAMES;
    }

    private static Set<String> read() {
        Set<String> names = new TreeSet<>();
        for (Field field : FunctionsSettings.class.getFields()) {
            if (Modifier.isStatic(field.getModifiers()) && Modifier.isFinal(field.getModifiers())
                    && field.getType() == String.class) {
                try {
                    names.add((String) field.get(null));
                } catch (IllegalAccessException e) {
                    throw new IllegalStateException(e);
                }
            }
        }
        return Collections.unmodifiableSet(names);
    }
}
