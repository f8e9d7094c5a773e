/**
 * Azurite, Microsoft's Azure Storage emulator, for tests that need real blob semantics: {@link
 * io.dpstwin.testkit.azurite.AzuriteTest @AzuriteTest} starts it once per test class, or skips the tests when it is
 * not installed.
 */
package io.dpstwin.testkit.azurite;
