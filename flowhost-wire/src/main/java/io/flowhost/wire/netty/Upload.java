package io.flowhost.wire.netty;

import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.DefaultHttpHeadersFactory;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpRequest;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A request whose body {@link SpooledUploads} wrote to a file as it came: its content is empty, the body is the
 * file. The file is deleted when the request is released, unless its handler {@linkplain #take took} it.
 */
public final class Upload extends DefaultFullHttpRequest {

    private final AtomicReference<Path> file;
    private final long size;

    Upload(HttpRequest head, Path file, long size) {
        // a buffer of its own rather than the shared empty one, whose count never falls: release() tells when to delete
        super(
                head.protocolVersion(),
                head.method(),
                head.uri(),
                Unpooled.buffer(0),
                head.headers(),
                DefaultHttpHeadersFactory.trailersFactory().newHeaders());
        setDecoderResult(head.decoderResult());
        this.file = new AtomicReference<>(file);
        this.size = size;
    }

    /** The body's file of a request that is an upload, now the caller's to delete; else null. */
    public static Path take(FullHttpRequest request) {
        return request instanceof Upload upload ? upload.file.getAndSet(null) : null;
    }

    /** Deletes a file {@link #take} gave, if it did; a failure to is logged, not thrown. */
    public static void delete(Path file) {
        if (file == null) {
            return;
        }
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            System.getLogger("flowhost.http").log(System.Logger.Level.WARNING, "cannot delete " + file + ": " + e);
        }
    }

    /** The body's length, in bytes. */
    public long size() {
        return size;
    }

    @Override
    public boolean release() {
        return deleteIfFreed(super.release());
    }

    @Override
    public boolean release(int decrement) {
        return deleteIfFreed(super.release(decrement));
    }

    private boolean deleteIfFreed(boolean freed) {
        if (freed) {
            delete(file.getAndSet(null));
        }
        return freed;
    }
}
