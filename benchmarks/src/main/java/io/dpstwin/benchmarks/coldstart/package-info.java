/**
 * Cold start: a fresh JVM's first allocation through the Functions adapter against the same first call through the
 * bare SDK, each in a process of its own ({@link io.dpstwin.benchmarks.coldstart.ColdStart} runs them,
 * {@link io.dpstwin.benchmarks.coldstart.ColdStartProbe} is the process).
 */
package io.dpstwin.benchmarks.coldstart;
