/**
 * The benchmarks behind {@code docs/performance.md}: {@link io.dpstwin.benchmarks.Main} runs the JMH allocation
 * benchmark and the load scenarios and prints a Markdown report ending with a {@link io.dpstwin.benchmarks.ResultLine}.
 * Not a library: nothing here is published.
 */
package io.dpstwin.benchmarks;
