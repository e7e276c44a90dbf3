/**
 * Asynchronous requests (issue #5): a durable queue of calls accepted for later, with their results kept for a while.
 *
 * <pre>{@code
 * var store = RequestStore.open(dataDir.resolve("requests.db"));
 * store.recoverAfterRestart(clock.instant());                    // requests that ran when the server died
 * store.submit(new NewRequest("echo-v1", "echo", "echo", "application/json", body, requestId, key, null),
 *         Retention.defaults(), clock.instant())
 *      .thenAccept(s -> answer202(s.request().id()));            // only once it is on disk
 * store.lease("echo-v1", holder, Duration.ofMinutes(2), clock.instant())
 *      .ifPresent(r -> store.complete(r.id(), holder, call(r), clock.instant()));
 * store.sweep(clock.instant());                                  // every few seconds
 * }</pre>
 *
 * <p>{@code RequestStore} is the whole API; the records around it are its vocabulary.
 * Inside, {@code GroupCommit} is the one writer thread, {@code Transitions} the pure rules of each state change, and
 * one small record per kind of write ({@code Submit}, {@code Take}, {@code Report}, {@code Cancel},
 * {@code Reclaim}, {@code Sweep}) runs inside its transactions.
 */
package io.flowhost.state.sqlite;
