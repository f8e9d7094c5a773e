/**
 * DTDL v2/v3 checks as ADT's model upload makes them, the store of uploaded models, and the validation of twin and
 * relationship contents against a model and its {@code extends} chain.
 */
package io.dpstwin.testkit.adt.dtdl;
