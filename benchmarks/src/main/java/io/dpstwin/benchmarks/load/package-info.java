/**
 * Plain-Java load scenarios against the testkit's HTTPS ADT emulator with scaled ADT limits and latency: provision
 * and retire through dps-twin and through a port of Microsoft's reference sample, the limit-bound reference times,
 * and dps-twin against the bare SDK.
 */
package io.dpstwin.benchmarks.load;
