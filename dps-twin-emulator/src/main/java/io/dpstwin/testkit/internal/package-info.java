/** Internal helpers of the testkit's builders; not part of its API. */
package io.dpstwin.testkit.internal;
