package io.flowhost.runtime.internal;

import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.util.Iterator;
import java.util.NoSuchElementException;
import java.util.concurrent.Flow;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.stream.Stream;

/**
 * What a streaming endpoint returns ({@code Stream<T>}, {@code Iterator<T>} or {@code Flow.Publisher<T>}), pulled one
 * item at a time by the handler's thread as the caller takes them, and closed when the stream ends or the caller goes.
 */
interface StreamedItems extends Iterator<Object>, AutoCloseable {

    /** Stops producing: closes the stream, cancels the subscription; never throws. */
    @Override
    void close();

    /** Whether an endpoint declared to return this type streams its answer. */
    static boolean isStream(Class<?> returnType) {
        return Stream.class.isAssignableFrom(returnType)
                || Iterator.class.isAssignableFrom(returnType)
                || Flow.Publisher.class.isAssignableFrom(returnType);
    }

    /** The type of one streamed item, as written in the declaration ({@code java.lang.Object} when unsaid). */
    static String itemType(Type returnType) {
        return returnType instanceof ParameterizedType p && p.getActualTypeArguments().length == 1
                ? p.getActualTypeArguments()[0].getTypeName()
                : "java.lang.Object";
    }

    /** The items of what the endpoint returned; a null return is an empty stream. */
    @SuppressWarnings("unchecked")
    static StreamedItems of(Object returned) {
        return switch (returned) {
            case null -> of(Stream.empty());
            case Stream<?> stream -> new Pulled((Iterator<Object>) stream.iterator(), stream);
            case Iterator<?> iterator ->
                new Pulled((Iterator<Object>) iterator, iterator instanceof AutoCloseable c ? c : null);
            case Flow.Publisher<?> publisher -> new Subscribed((Flow.Publisher<Object>) publisher);
            default ->
                throw new IllegalStateException(
                        "not a stream: " + returned.getClass().getName());
        };
    }

    /** A stream or an iterator. */
    record Pulled(Iterator<Object> items, AutoCloseable closing) implements StreamedItems {
        @Override
        public boolean hasNext() {
            return items.hasNext();
        }

        @Override
        public Object next() {
            return items.next();
        }

        @Override
        public void close() {
            if (closing != null) {
                try {
                    closing.close();
                } catch (Exception e) {
                    // the stream ends either way; its own close failing changes nothing for the caller
                }
            }
        }
    }

    /**
     * A publisher, subscribed to with a window of {@link #WINDOW} items: it may run ahead of the caller by that much and
     * no more, so a slow reader slows it as it slows a stream.
     */
    final class Subscribed implements StreamedItems, Flow.Subscriber<Object> {
        static final int WINDOW = 16;
        private static final Object DONE = new Object();

        private final LinkedBlockingQueue<Object> signals = new LinkedBlockingQueue<>();
        private volatile Flow.Subscription subscription;
        private Object next;

        Subscribed(Flow.Publisher<Object> publisher) {
            publisher.subscribe(this);
        }

        @Override
        public void onSubscribe(Flow.Subscription s) {
            subscription = s;
            s.request(WINDOW);
        }

        @Override
        public void onNext(Object item) {
            signals.add(item == null ? DONE : item); // a null item breaks the Reactive Streams rules: end there
        }

        @Override
        public void onError(Throwable failure) {
            signals.add(new Failed(failure));
        }

        @Override
        public void onComplete() {
            signals.add(DONE);
        }

        @Override
        public boolean hasNext() {
            if (next == null) {
                try {
                    next = signals.take();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException("interrupted while waiting for the publisher's next item", e);
                }
            }
            if (next instanceof Failed failed) {
                throw failed.asUnchecked();
            }
            return next != DONE;
        }

        @Override
        public Object next() {
            if (!hasNext()) {
                throw new NoSuchElementException();
            }
            var item = next;
            next = null;
            subscription.request(1);
            return item;
        }

        @Override
        public void close() {
            var s = subscription;
            if (s != null) {
                s.cancel();
            }
        }

        private record Failed(Throwable failure) {
            RuntimeException asUnchecked() {
                return failure instanceof RuntimeException r ? r : new PublisherFailedException(failure);
            }
        }
    }

    /** A publisher's {@code onError} with a checked exception, carried to the handler. */
    final class PublisherFailedException extends RuntimeException {
        PublisherFailedException(Throwable cause) {
            super("the publisher failed: " + cause, cause);
        }
    }
}
