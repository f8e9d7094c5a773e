package io.dpstwin.testkit.junit;

import org.junit.jupiter.api.extension.ExtensionConfigurationException;

import java.io.IOException;
import java.io.InputStream;
import java.lang.annotation.Annotation;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import org.junit.platform.commons.support.AnnotationSupport;

/** Reads DTDL from classpath resources and finds the testkit annotations on test classes. */
final class ClasspathModels {

    private ClasspathModels() {
    }

    /** The text of each resource, read with the test class's class loader. */
    static List<String> read(Class<?> testClass, List<String> resources) {
        List<String> texts = new ArrayList<>();
        ClassLoader loader = testClass != null ? testClass.getClassLoader() : ClasspathModels.class.getClassLoader();
        for (String resource : resources) {
            String name = resource.startsWith("/") ? resource.substring(1) : resource;
            try (InputStream in = loader.getResourceAsStream(name)) {
                if (in == null) {
                    throw new ExtensionConfigurationException("No classpath resource " + resource + " (a DTDL model).");
                }
                texts.add(new String(in.readAllBytes(), StandardCharsets.UTF_8));
            } catch (IOException e) {
                throw new ExtensionConfigurationException("Cannot read the DTDL model " + resource, e);
            }
        }
        return texts;
    }

    /** The annotation on the test class, a superclass or an enclosing class (for {@code @Nested} tests). */
    static <A extends Annotation> Optional<A> find(Class<?> testClass, Class<A> annotation) {
        for (Class<?> type = testClass; type != null; type = type.getEnclosingClass()) {
            Optional<A> found = AnnotationSupport.findAnnotation(type, annotation);
            if (found.isPresent()) {
                return found;
            }
        }
        return Optional.empty();
    }
}
