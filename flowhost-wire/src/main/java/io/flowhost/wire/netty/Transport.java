package io.flowhost.wire.netty;

import io.netty.channel.Channel;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.ServerChannel;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollDomainSocketChannel;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerDomainSocketChannel;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.channel.uring.IoUring;
import io.netty.channel.uring.IoUringDomainSocketChannel;
import io.netty.channel.uring.IoUringIoHandler;
import io.netty.channel.uring.IoUringServerDomainSocketChannel;
import io.netty.channel.uring.IoUringServerSocketChannel;
import io.netty.channel.uring.IoUringSocketChannel;
import java.util.concurrent.ThreadFactory;

/**
 * The socket transport: Linux io_uring or epoll where their native libraries load (and, for io_uring, the kernel
 * allows it), Java NIO elsewhere, or the one named by the system property {@code flowhost.transport}
 * ({@code io_uring}, {@code epoll} or {@code nio}).
 *
 * @param domainServerChannel the channel listening on a Unix domain socket, or null where this transport has none
 * @param domainChannel the channel connecting to a Unix domain socket, or null where this transport has none
 */
public record Transport(
        IoHandlerFactory ioHandler,
        Class<? extends ServerChannel> serverChannel,
        Class<? extends SocketChannel> channel,
        Class<? extends ServerChannel> domainServerChannel,
        Class<? extends Channel> domainChannel,
        String name) {

    /** The system property that names the transport to use instead of the best one. */
    public static final String PROPERTY = "flowhost.transport";

    /**
     * For the gateway: the transport {@code flowhost.transport} names, else the best this machine offers, io_uring
     * first (it carried a quarter to a half more calls per core through the gateway than epoll:
     * docs/benchmarks.md).
     *
     * @throws IllegalArgumentException when the named transport is unknown or cannot run here, saying why
     */
    public static Transport best() {
        var named = System.getProperty(PROPERTY);
        if (named != null && !named.isBlank()) {
            return named(named.strip());
        }
        return IoUring.isAvailable() ? ioUring() : Epoll.isAvailable() ? epoll() : nio();
    }

    /**
     * For an instance: epoll where it loads, else NIO. An instance has one caller (its gateway) and one event loop;
     * io_uring was measured on the gateway only, and its rings would add to every idle instance's memory.
     */
    public static Transport forInstance() {
        return Epoll.isAvailable() ? epoll() : nio();
    }

    /** The named transport, checked to run on this machine. */
    public static Transport named(String name) {
        return switch (name) {
            case "epoll" -> {
                if (!Epoll.isAvailable()) {
                    throw unavailable(name, Epoll.unavailabilityCause());
                }
                yield epoll();
            }
            case "io_uring" -> {
                if (!IoUring.isAvailable()) {
                    throw unavailable(name, IoUring.unavailabilityCause());
                }
                yield ioUring();
            }
            case "nio" -> nio();
            default ->
                throw new IllegalArgumentException(
                        "-D" + PROPERTY + "=" + name + ": unknown transport (expected: epoll, io_uring or nio)");
        };
    }

    private static Transport ioUring() {
        return new Transport(
                IoUringIoHandler.newFactory(),
                IoUringServerSocketChannel.class,
                IoUringSocketChannel.class,
                IoUringServerDomainSocketChannel.class,
                IoUringDomainSocketChannel.class,
                "io_uring");
    }

    private static Transport epoll() {
        return new Transport(
                EpollIoHandler.newFactory(),
                EpollServerSocketChannel.class,
                EpollSocketChannel.class,
                EpollServerDomainSocketChannel.class,
                EpollDomainSocketChannel.class,
                "epoll");
    }

    private static Transport nio() {
        // Netty's NIO domain sockets would do, but an instance or gateway on NIO is not on Linux, or not asked to
        // be fast: TCP alone keeps it simple.
        return new Transport(
                NioIoHandler.newFactory(), NioServerSocketChannel.class, NioSocketChannel.class, null, null, "nio");
    }

    private static IllegalArgumentException unavailable(String name, Throwable cause) {
        return new IllegalArgumentException(
                "-D" + PROPERTY + "=" + name + ": not available on this machine ("
                        + (cause == null ? "unknown cause" : cause.getMessage())
                        + "); leave it out to use the best one",
                cause);
    }

    /** Whether this transport listens on and connects to Unix domain sockets. */
    public boolean hasDomainSockets() {
        return domainChannel != null;
    }

    /** An event loop group of this transport with the given number of threads. */
    public EventLoopGroup group(int threads, ThreadFactory threadFactory) {
        return new MultiThreadIoEventLoopGroup(threads, threadFactory, ioHandler);
    }
}
