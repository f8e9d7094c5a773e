/**
 * The ADT REST API over HTTPS ({@link io.dpstwin.testkit.emulator.AdtEmulator}) for the official SDK, {@code curl}
 * and other languages, with its self-signed certificate, request journal and command line.
 */
package io.dpstwin.testkit.emulator;
