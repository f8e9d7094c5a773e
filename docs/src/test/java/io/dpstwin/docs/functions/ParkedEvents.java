package io.dpstwin.docs.functions;

import io.dpstwin.core.lifecycle.DeadLetter;
import io.dpstwin.core.lifecycle.DeadLetterSink;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** Stands for an app's own dead-letter store in {@link DpsTwinApp}: keeps the letters in memory. Thread-safe. */
final class ParkedEvents implements DeadLetterSink {

    private final List<DeadLetter> letters = new CopyOnWriteArrayList<>();

    @Override
    public void deadLetter(DeadLetter letter) {
        letters.add(letter);
    }

    List<DeadLetter> letters() {
        return List.copyOf(letters);
    }

    void clear() {
        letters.clear();
    }
}
