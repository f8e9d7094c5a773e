/**
 * Profile {@code local}: the offline end-to-end demo. The testkit's ADT emulator and in-memory IoT hubs run in the
 * process, a simulated fleet registers and is deleted through the application's own endpoints, the twin graph is
 * checked, and drift no event reports is found and repaired by the reconciler.
 */
package io.dpstwin.samples.spring.local;
