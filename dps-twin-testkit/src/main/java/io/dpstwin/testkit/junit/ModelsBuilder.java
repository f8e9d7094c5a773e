package io.dpstwin.testkit.junit;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The model options that the builders of the ADT extensions share.
 *
 * @param <B> the builder, returned by each option
 */
abstract class ModelsBuilder<B extends ModelsBuilder<B>> {

    final List<String> models = new ArrayList<>();
    final List<String> modelResources = new ArrayList<>();
    boolean keepModels;

    ModelsBuilder() {
    }

    /** The model options as given, or none (for the declarative extensions, which read their annotation). */
    record Models(List<String> texts, List<String> resources, boolean keep) {

        static final Models NONE = new Models(List.of(), List.of(), false);

        Models {
            texts = List.copyOf(texts);
            resources = List.copyOf(resources);
        }
    }

    /** The options given so far. */
    Models snapshot() {
        return new Models(models, modelResources, keepModels);
    }

    abstract B self();

    /** DTDL texts (one interface or an array each) uploaded before each test (and, for an emulator, at start). */
    public B models(String... dtdl) {
        models.addAll(Arrays.asList(dtdl));
        return self();
    }

    /** Classpath resources holding DTDL, uploaded before each test (and, for an emulator, at start). */
    public B modelResources(String... resources) {
        modelResources.addAll(Arrays.asList(resources));
        return self();
    }

    /** Keep models uploaded by tests for the next tests (default: each test starts with the configured ones). */
    public B keepModelsBetweenTests(boolean keep) {
        this.keepModels = keep;
        return self();
    }
}
