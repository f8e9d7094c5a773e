/**
 * Profile {@code local}: the offline end-to-end demo. The testkit's ADT emulator runs in the process, a simulated
 * fleet registers and is deleted through the application's own endpoints, and the final twin graph is checked.
 */
package io.dpstwin.samples.spring.local;
