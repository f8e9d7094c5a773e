/** JMH benchmarks of dps-twin's core on the testkit's in-memory ADT. */
package io.dpstwin.benchmarks.jmh;
