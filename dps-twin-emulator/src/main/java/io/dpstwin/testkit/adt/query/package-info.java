/**
 * The subset of the ADT query language the fakes support: a hand-written parser and an evaluator with ADT's
 * three-valued logic.
 */
package io.dpstwin.testkit.adt.query;
