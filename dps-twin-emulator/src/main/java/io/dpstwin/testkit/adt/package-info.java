/**
 * The in-memory Azure Digital Twins engine ({@link io.dpstwin.testkit.adt.AdtEngine}) that enforces ADT's rules,
 * the in-memory gateway on it ({@link io.dpstwin.testkit.adt.InMemoryDigitalTwins}), and its options: rate limits,
 * query-index lag, fault injection and request counters.
 */
package io.dpstwin.testkit.adt;
