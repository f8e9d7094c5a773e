/**
 * Not API: the reconciler's implementation that other code of this repository reads too (the testkit's and the
 * benchmarks' fakes answer its queries). It may change or go in any release; adapters and samples never use it
 * (ArchUnit checks it). {@link io.dpstwin.core.internal.reconcile.AdtQueries} builds the reconciler's ADT queries,
 * escaping every literal.
 */
package io.dpstwin.core.internal.reconcile;
