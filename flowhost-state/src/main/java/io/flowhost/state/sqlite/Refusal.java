package io.flowhost.state.sqlite;

/**
 * Marks an exception that a unit of work throws before it writes anything, so the rest of its batch still commits
 * (any other exception rolls the batch back and its works are retried one by one).
 */
interface Refusal {}
