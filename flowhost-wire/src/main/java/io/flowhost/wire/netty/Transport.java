package io.flowhost.wire.netty;

import io.netty.channel.EventLoopGroup;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.ServerChannel;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import java.util.concurrent.ThreadFactory;

/** The socket transport: Linux epoll where its native library loads, Java NIO elsewhere. */
public record Transport(
        IoHandlerFactory ioHandler,
        Class<? extends ServerChannel> serverChannel,
        Class<? extends SocketChannel> channel,
        String name) {

    /** The best transport this machine offers. */
    public static Transport best() {
        if (Epoll.isAvailable()) {
            return new Transport(
                    EpollIoHandler.newFactory(), EpollServerSocketChannel.class, EpollSocketChannel.class, "epoll");
        }
        return new Transport(NioIoHandler.newFactory(), NioServerSocketChannel.class, NioSocketChannel.class, "nio");
    }

    /** An event loop group of this transport with the given number of threads. */
    public EventLoopGroup group(int threads, ThreadFactory threadFactory) {
        return new MultiThreadIoEventLoopGroup(threads, threadFactory, ioHandler);
    }
}
