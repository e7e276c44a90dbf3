package io.flowhost.wire.netty;

import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.DefaultHttpContent;
import io.netty.handler.codec.http.DefaultHttpHeadersFactory;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.LastHttpContent;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.function.Consumer;

/**
 * An answer whose body is a file, read and written a chunk at a time as fast as the caller takes it, so that a large
 * file (a deployment's jar, fetched by its pods) is never held in memory. The file is opened when the answer is made,
 * so that a missing one fails there, and closed when the answer ends, however it ends; read on the event loop, from
 * the page cache, a chunk at a time.
 */
public final class FileResponse extends StreamedResponse {

    private static final int CHUNK = 256 * 1024;

    private final FileChannel file;
    private ChannelHandlerContext caller;
    private Consumer<ChannelFuture> ended;
    private long sent;
    private boolean done;

    private FileResponse(FileChannel file, HttpHeaders headers) {
        super(HttpResponseStatus.OK, headers);
        this.file = file;
    }

    /** A 200 whose body is this file, of this media type. */
    public static FileResponse of(Path path, String contentType) throws IOException {
        var headers = DefaultHttpHeadersFactory.headersFactory().newHeaders();
        headers.set(HttpHeaderNames.CONTENT_TYPE, contentType);
        return new FileResponse(FileChannel.open(path, StandardOpenOption.READ), headers);
    }

    @Override
    protected void relay(ChannelHandlerContext caller, Consumer<ChannelFuture> ended) {
        this.caller = caller;
        this.ended = ended;
        send();
    }

    @Override
    protected void writabilityChanged() {
        if (!done && caller != null && caller.channel().isWritable()) {
            send();
        }
    }

    @Override
    protected void callerGone() {
        if (!done) {
            done = true;
            close();
            ended(sent);
        }
    }

    /** Writes chunks while the caller has room for them, and the end once the file is all sent. */
    private void send() {
        try {
            while (!done && caller.channel().isWritable()) {
                var chunk = caller.alloc().ioBuffer(CHUNK);
                int read;
                try {
                    read = chunk.writeBytes(file, sent, CHUNK);
                } catch (IOException e) {
                    chunk.release();
                    throw e;
                }
                if (read < 0) {
                    chunk.release();
                    end(caller.writeAndFlush(LastHttpContent.EMPTY_LAST_CONTENT));
                    return;
                }
                sent += read;
                caller.write(new DefaultHttpContent(chunk), caller.voidPromise());
            }
            caller.flush();
        } catch (IOException e) {
            // cut short: the connection closes without the stream's last chunk, so the caller sees a body cut off
            end(caller.close());
        }
    }

    private void end(ChannelFuture last) {
        done = true;
        close();
        ended(sent);
        ended.accept(last);
    }

    private void close() {
        try {
            file.close();
        } catch (IOException e) {
            // read-only: nothing was lost
        }
    }
}
