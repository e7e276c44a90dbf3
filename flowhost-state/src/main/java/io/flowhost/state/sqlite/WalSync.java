package io.flowhost.state.sqlite;

import java.io.IOException;
import java.lang.System.Logger.Level;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * The flush of the WAL to disk, on a thread of its own: the writer commits without waiting for the disk
 * ({@code synchronous=NORMAL}) and goes on to its next batch while this thread forces the WAL, once for every commit
 * made while the previous force ran, and only then lets what those commits promised be acknowledged.
 *
 * <p>The same promise as {@code synchronous=FULL}, pipelined: an acknowledged commit is on disk. A force covers
 * every commit written to the file before it began (the file's pages, whichever descriptor wrote them), and the WAL
 * is a log, so what a power cut can take is a tail of commits not yet acknowledged. Readers may see such a tail
 * for the fraction of a millisecond before its force.
 */
final class WalSync implements AutoCloseable {

    /** Makes what was written to the file so far durable. */
    @FunctionalInterface
    interface Force {
        void force() throws IOException;
    }

    private record Waiting(Runnable synced, Consumer<IOException> failed) {}

    private static final System.Logger LOG = System.getLogger("flowhost.requests");

    private final Force force;
    private final AutoCloseable resource;
    private final List<Waiting> waiting = new ArrayList<>();
    private final Thread thread;
    private boolean closed;

    private WalSync(Force force, AutoCloseable resource) {
        this.force = force;
        this.resource = resource;
        this.thread =
                Thread.ofPlatform().name("flowhost-requests-sync").daemon().start(this::loop);
    }

    /** Forces the WAL file of a database in WAL mode (opened at the first force: SQLite creates it). */
    static WalSync of(Path walFile) {
        var wal = new Wal(walFile);
        return new WalSync(wal::force, wal);
    }

    /** Forces with the given operation, e.g. one a test holds to see what waits for it. */
    static WalSync with(Force force) {
        return new WalSync(force, () -> {});
    }

    /**
     * Runs {@code synced} once a force that began after this call has returned, or {@code failed} if it threw; both
     * run on the sync thread, so they hand their work on rather than do it.
     */
    void afterNextForce(Runnable synced, Consumer<IOException> failed) {
        synchronized (this) {
            if (!closed) {
                waiting.add(new Waiting(synced, failed));
                notifyAll();
                return;
            }
        }
        failed.accept(new IOException("the requests database is closed"));
    }

    private void loop() {
        while (true) {
            List<Waiting> round;
            synchronized (this) {
                while (waiting.isEmpty() && !closed) {
                    try {
                        wait();
                    } catch (InterruptedException e) {
                        return;
                    }
                }
                if (waiting.isEmpty()) {
                    return; // closed, and nothing left to flush
                }
                round = List.copyOf(waiting);
                waiting.clear();
            }
            IOException failure = null;
            try {
                force.force();
            } catch (IOException e) {
                failure = e;
                LOG.log(Level.ERROR, "cannot flush the requests database to disk; what waited on it fails", e);
            }
            for (var w : round) {
                if (failure == null) {
                    w.synced().run();
                } else {
                    w.failed().accept(failure);
                }
            }
        }
    }

    /** Forces what is still waiting, then stops the thread and closes the file. */
    @Override
    public void close() {
        synchronized (this) {
            closed = true;
            notifyAll();
        }
        try {
            thread.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        try {
            resource.close();
        } catch (Exception ignored) {
            // a read-only descriptor: closing it loses nothing
        }
    }

    /** The WAL file, opened read-only at its first force (forcing needs a descriptor, not write access). */
    private static final class Wal implements AutoCloseable {
        private final Path file;
        private FileChannel channel;

        Wal(Path file) {
            this.file = file;
        }

        void force() throws IOException {
            if (channel == null) {
                if (!Files.exists(file)) {
                    return; // nothing was ever written to it: nothing to flush
                }
                channel = FileChannel.open(file, StandardOpenOption.READ);
            }
            channel.force(false); // fdatasync: the WAL's pages and its length
        }

        @Override
        public void close() throws IOException {
            if (channel != null) {
                channel.close();
            }
        }
    }
}
