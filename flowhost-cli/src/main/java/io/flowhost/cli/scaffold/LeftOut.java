package io.flowhost.cli.scaffold;

/**
 * An artifact the generated service does not load, and why.
 *
 * @param artifact the artifact's name in the run
 * @param reason why, e.g. that only Python can rebuild it
 */
record LeftOut(String artifact, String reason) {}
