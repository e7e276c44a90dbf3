package io.flowhost.server.http;

import io.flowhost.server.tls.ReloadingTls;
import io.flowhost.wire.netty.ReadGate;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.socket.SocketChannel;

/**
 * A connection to the TLS port: counted against the cap from its accept, its header clock running through the
 * handshake, a plain HTTP request answered with what to do, the TLS handler made from the certificate loaded last,
 * and then, once ALPN has said which, the HTTP/1.1 or the HTTP/2 pipeline ({@link Negotiation}).
 */
final class TlsConnections extends ChannelInitializer<SocketChannel> {

    private final ReloadingTls tls;
    private final ConnectionCap cap;
    private final EdgeParts parts;
    private final Http2Streams streams;

    TlsConnections(ReloadingTls tls, ConnectionCap cap, EdgeParts parts) {
        this.tls = tls;
        this.cap = cap;
        this.parts = parts;
        this.streams = new Http2Streams(parts);
    }

    @Override
    protected void initChannel(SocketChannel ch) {
        var deadline = new HeaderDeadline(parts.limits().headerTimeout());
        ch.pipeline()
                .addLast(
                        new ReadGate(),
                        cap,
                        deadline.bytes(),
                        new PlainHttpOnTls(),
                        tls.newHandler(ch.alloc()),
                        new Negotiation(parts, streams, deadline));
    }
}
