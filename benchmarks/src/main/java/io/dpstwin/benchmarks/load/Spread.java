package io.dpstwin.benchmarks.load;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * The least, the median and the greatest of repeated measurements of one figure. The scale-out run repeats each N
 * ({@code --scaleout-repeats}) because several processes that adapt to one limit without talking to each other
 * share it differently from run to run: one run's figure says little about the next.
 *
 * @param min    the least value
 * @param median the middle value (the mean of the two middle values of an even count)
 * @param max    the greatest value
 */
public record Spread(double min, double median, double max) {

    /** The spread of {@code values}; at least one. */
    public static Spread of(List<Double> values) {
        List<Double> sorted = sorted(values);
        return new Spread(sorted.get(0), middleOf(sorted), sorted.get(sorted.size() - 1));
    }

    /** The median of {@code values}; at least one. */
    public static double median(List<Double> values) {
        return middleOf(sorted(values));
    }

    private static List<Double> sorted(List<Double> values) {
        if (values.isEmpty()) {
            throw new IllegalArgumentException("a spread needs at least one value");
        }
        List<Double> sorted = new ArrayList<>(values);
        Collections.sort(sorted);
        return sorted;
    }

    private static double middleOf(List<Double> sorted) {
        int middle = sorted.size() / 2;
        return sorted.size() % 2 == 1 ? sorted.get(middle) : (sorted.get(middle - 1) + sorted.get(middle)) / 2;
    }
}
