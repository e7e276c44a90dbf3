package io.flowhost.metaflow.pickle;

import java.io.IOException;
import java.io.OutputStream;
import java.util.Objects;

/**
 * Passes bytes on to another stream up to a limit, then fails with {@link OutputLimitException}: a writer that
 * streams through it stops as soon as its output passes the bound, rather than after building all of it.
 * Exactly {@code limit} bytes reach the target when more were written. Closing it flushes the target but leaves
 * it open, since it wraps streams it does not own, such as standard output.
 */
public final class LimitedOutputStream extends OutputStream {

    private final OutputStream target;
    private final long limit;
    private long written;

    /** A stream passing at most {@code limit} bytes on to {@code target}. */
    public LimitedOutputStream(OutputStream target, long limit) {
        if (limit < 0) {
            throw new IllegalArgumentException("limit: " + limit + " (expected 0 or more bytes)");
        }
        this.target = Objects.requireNonNull(target, "target");
        this.limit = limit;
    }

    @Override
    public void write(int b) throws IOException {
        if (written >= limit) {
            throw new OutputLimitException(limit);
        }
        target.write(b);
        written++;
    }

    @Override
    public void write(byte[] bytes, int offset, int length) throws IOException {
        Objects.checkFromIndexSize(offset, length, bytes.length);
        long room = limit - written;
        if (length > room) {
            target.write(bytes, offset, (int) room);
            written = limit;
            throw new OutputLimitException(limit);
        }
        target.write(bytes, offset, length);
        written += length;
    }

    /** How many bytes were passed on. */
    public long written() {
        return written;
    }

    @Override
    public void flush() throws IOException {
        target.flush();
    }

    @Override
    public void close() throws IOException {
        target.flush();
    }
}
