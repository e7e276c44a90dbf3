package io.flowhost.runtime.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.flowhost.domain.service.ServiceDefinitionException;
import io.flowhost.sdk.Batch;
import io.flowhost.sdk.Endpoint;
import io.flowhost.sdk.Service;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.Flow;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** Streaming endpoints as the binder sees them, and their items as the handler pulls them. */
class StreamedItemsTest {

    public record Ask(int count) {}

    public record Item(int i) {}

    @Service(name = "streams")
    public static class Streams {
        @Endpoint("stream")
        public Stream<Item> stream(Ask ask) {
            return Stream.of(new Item(1));
        }

        @Endpoint("iterate")
        public Iterator<Item> iterate(Ask ask) {
            return List.of(new Item(1)).iterator();
        }

        @Endpoint("publish")
        public Flow.Publisher<Item> publish(Ask ask) {
            return subscriber -> {};
        }

        @Endpoint("whole")
        public List<Item> whole(Ask ask) {
            return List.of();
        }
    }

    @Service(name = "batched-stream")
    public static class BatchedStream {
        @Endpoint(value = "x", batch = @Batch(maxSize = 8))
        public Stream<Item> x(List<Ask> asks) {
            return Stream.empty();
        }
    }

    @Test
    void aStreamAnIteratorOrAPublisherMakesAStreamingEndpointOfItsItemType() throws ServiceDefinitionException {
        var bound = new ServiceBinder(Json.mapper()).bind(Streams.class);
        for (var name : List.of("stream", "iterate", "publish")) {
            var endpoint = bound.endpoint(name);
            assertThat(endpoint.streams()).as(name).isTrue();
            assertThat(endpoint.descriptor().output()).as(name).isEqualTo(Item.class.getTypeName());
        }
        assertThat(bound.endpoint("whole").streams()).isFalse();
        assertThat(bound.endpoint("whole").descriptor().output())
                .isEqualTo("java.util.List<" + Item.class.getTypeName() + ">");
    }

    @Test
    void aBatchedEndpointCannotStream() {
        assertThatThrownBy(() -> new ServiceBinder(Json.mapper()).bind(BatchedStream.class))
                .isInstanceOf(ServiceDefinitionException.class)
                .hasMessageContaining("is batched and returns a Stream");
    }

    @Test
    void closingAStreamRunsItsCloseHandlersAndAnIteratorThatClosesIsClosed() {
        var closed = new AtomicBoolean();
        try (var items = StreamedItems.of(Stream.of(1, 2).onClose(() -> closed.set(true)))) {
            assertThat(items.next()).isEqualTo(1);
        }
        assertThat(closed).isTrue();

        var iteratorClosed = new AtomicBoolean();
        class Closing implements Iterator<Integer>, AutoCloseable {
            @Override
            public boolean hasNext() {
                return true;
            }

            @Override
            public Integer next() {
                return 7;
            }

            @Override
            public void close() throws IOException {
                iteratorClosed.set(true);
                throw new IOException("closing fails too");
            }
        }
        try (var items = StreamedItems.of(new Closing())) {
            assertThat(items.next()).isEqualTo(7);
        }
        assertThat(iteratorClosed).isTrue();
        try (var none = StreamedItems.of(null)) {
            assertThat(none.hasNext()).as("a null return is an empty stream").isFalse();
        }
    }

    /** A publisher that hands out items only as they are asked for, and counts what was asked. */
    static final class Counting implements Flow.Publisher<Integer> {
        final AtomicLong requested = new AtomicLong();
        final AtomicBoolean cancelled = new AtomicBoolean();
        final int failAfter;
        Flow.Subscriber<? super Integer> subscriber;
        int sent;

        Counting(int failAfter) {
            this.failAfter = failAfter;
        }

        @Override
        public void subscribe(Flow.Subscriber<? super Integer> s) {
            subscriber = s;
            s.onSubscribe(new Flow.Subscription() {
                @Override
                public void request(long n) {
                    requested.addAndGet(n);
                    // synchronous, as a publisher may be: items are signalled from within request
                    while (sent < requested.get() && !cancelled.get()) {
                        if (sent == failAfter) {
                            s.onError(new IOException("the source went away"));
                            return;
                        }
                        s.onNext(sent++);
                    }
                }

                @Override
                public void cancel() {
                    cancelled.set(true);
                }
            });
        }
    }

    @Test
    void aPublisherIsAskedForAWindowOfItemsAheadOfTheReaderAndNoMore() {
        var publisher = new Counting(Integer.MAX_VALUE);
        var got = new ArrayList<Object>();
        try (var items = StreamedItems.of(publisher)) {
            assertThat(publisher.requested.get()).isEqualTo(StreamedItems.Subscribed.WINDOW);
            for (int i = 0; i < 40; i++) {
                got.add(items.next());
                assertThat(publisher.requested.get() - got.size())
                        .as("asked for beyond what was read")
                        .isEqualTo(StreamedItems.Subscribed.WINDOW);
            }
        }
        assertThat(got).hasSize(40).startsWith(0, 1, 2).endsWith(39);
        assertThat(publisher.cancelled).as("closing cancels the subscription").isTrue();
    }

    @Test
    void aPublishersErrorComesOutOfTheItemsAfterWhatCameBeforeIt() {
        try (var items = StreamedItems.of(new Counting(2))) {
            assertThat(items.next()).isEqualTo(0);
            assertThat(items.next()).isEqualTo(1);
            assertThatThrownBy(items::hasNext)
                    .isInstanceOf(StreamedItems.PublisherFailedException.class)
                    .hasMessageContaining("the source went away");
        }
    }
}
