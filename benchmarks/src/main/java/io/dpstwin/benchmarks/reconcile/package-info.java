/**
 * The fleet-scale reconcile scenario: an IoT hub registry and an Azure Digital Twins query API generated page by
 * page from a seed, each enforcing its quota on a compressed clock, and the reconciler planning against them.
 */
package io.dpstwin.benchmarks.reconcile;
