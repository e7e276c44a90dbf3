package io.flowhost.server;

import io.flowhost.sdk.Batch;
import io.flowhost.sdk.CallRejectedException;
import io.flowhost.sdk.Endpoint;
import io.flowhost.sdk.Service;
import io.flowhost.sdk.ServiceContext;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Flow;
import java.util.concurrent.SubmissionPublisher;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.IntStream;
import java.util.stream.Stream;

/** Services whose endpoints misbehave on purpose, packed into jars by the tests. */
final class TestServices {

    private TestServices() {}

    /** A typed input, to check that a field of the wrong type is named. */
    public record Order(String item, int quantity) {}

    @Service(name = "trouble")
    public static final class Trouble {

        /** One per instance JVM. */
        private static final CountDownLatch GATE = new CountDownLatch(1);

        private static final AtomicInteger WAITING = new AtomicInteger();

        private final String greeting;

        public Trouble(ServiceContext context) {
            this.greeting = context.setting("greeting").orElse("hello");
        }

        @Endpoint("order")
        public Map<String, Object> order(Order order) {
            return Map.of("item", order.item(), "quantity", order.quantity());
        }

        @Endpoint("reject")
        public Map<String, Object> reject(Map<String, Object> body) {
            throw new CallRejectedException(409, "order " + body.get("id") + " was already placed");
        }

        @Endpoint("crash")
        public Map<String, Object> crash(Map<String, Object> body) {
            throw new IllegalStateException("the model fell over: secret internal detail");
        }

        @Endpoint("sleep")
        public Map<String, Object> sleep(Map<String, Object> body) throws InterruptedException {
            Thread.sleep(((Number) body.get("ms")).longValue());
            return Map.of("slept", body.get("ms"));
        }

        /** Answers once the gate is opened (or after a minute): a call that stays in flight as long as a test needs. */
        @Endpoint("wait")
        public Map<String, Object> waitForGate(Map<String, Object> body) throws InterruptedException {
            WAITING.incrementAndGet();
            try {
                return Map.of("opened", GATE.await(60, TimeUnit.SECONDS));
            } finally {
                WAITING.decrementAndGet();
            }
        }

        /** How many {@code wait} calls this instance holds: a call counted here has reached it. */
        @Endpoint("waiting")
        public Map<String, Object> waiting() {
            return Map.of("waiting", WAITING.get());
        }

        /** Opens the gate; called straight at the instance, since the gateway may be holding calls behind a waiter. */
        @Endpoint("open")
        public Map<String, Object> open() {
            GATE.countDown();
            return Map.of("open", true);
        }

        @Endpoint("greeting")
        public Map<String, Object> greeting() {
            return Map.of("greeting", greeting);
        }

        @Endpoint(value = "report", modes = Endpoint.Mode.ASYNC)
        public Map<String, Object> report(Map<String, Object> body) {
            return Map.of("report", "done");
        }

        @Endpoint(value = "now", modes = Endpoint.Mode.SYNC)
        public Map<String, Object> now(Map<String, Object> body) {
            return Map.of("now", true);
        }

        @Endpoint("exit")
        public Map<String, Object> exit(Map<String, Object> body) {
            Runtime.getRuntime().halt(13);
            return body;
        }
    }

    /**
     * A model whose versions tell themselves apart: it answers with its {@code version} setting, and with
     * {@code fail-after=N} it starts failing (500) after its first N calls, as a bad canary would; {@code delay-ms}
     * slows each call.
     */
    @Service(name = "model")
    public static final class Versioned {

        private final String version;
        private final long failAfter;
        private final long delayMs;
        private final AtomicLong calls = new AtomicLong();

        public Versioned(ServiceContext context) {
            this.version = context.setting("version").orElse("1");
            this.failAfter = Long.parseLong(context.setting("fail-after").orElse("-1"));
            this.delayMs = Long.parseLong(context.setting("delay-ms").orElse("0"));
        }

        @Endpoint("predict")
        public Map<String, Object> predict(Map<String, Object> body) throws InterruptedException {
            if (delayMs > 0) {
                Thread.sleep(delayMs);
            }
            if (failAfter >= 0 && calls.incrementAndGet() > failAfter) {
                throw new IllegalStateException("version " + version + " broke");
            }
            return Map.of("version", version, "x", body.getOrDefault("x", 0));
        }
    }

    /** Two endpoints on one route: cannot be served. */
    @Service(name = "clash")
    public static final class Clash {

        @Endpoint("predict")
        public Map<String, Object> predict(Map<String, Object> body) {
            return body;
        }

        @Endpoint("predict")
        public Map<String, Object> predictAgain(Map<String, Object> body) {
            return body;
        }
    }

    /** A model that needs a GPU wherever it runs as a pod, as its annotation says. */
    @Service(name = "gpu-model", gpu = 1, memory = "2Gi")
    public static final class GpuModel {

        @Endpoint("predict")
        public Map<String, Object> predict(Map<String, Object> body) {
            return body;
        }
    }

    /** An annotation asking for memory in a unit that does not exist. */
    @Service(name = "bad-memory", memory = "2GB")
    public static final class BadMemory {

        @Endpoint("predict")
        public Map<String, Object> predict(Map<String, Object> body) {
            return body;
        }
    }

    /** A constructor that fails, as one that cannot find its model does. */
    @Service(name = "broken")
    public static final class Broken {

        public Broken() {
            throw new IllegalStateException("model file iris.onnx not found");
        }

        @Endpoint("predict")
        public Map<String, Object> predict(Map<String, Object> body) {
            return body;
        }
    }

    /** One number, for the batched service. */
    public record Num(int n) {}

    /** Squares numbers a batch at a time; a negative one is refused alone. */
    @Service(name = "squares")
    public static final class Squares {

        /** Each batch takes 20 ms, as a model would: calls arriving meanwhile wait and go in the next one. */
        @Endpoint(value = "square", batch = @Batch(maxSize = 8, maxDelay = "1s"))
        public List<Object> square(List<Num> items) throws InterruptedException {
            Thread.sleep(20);
            var out = new ArrayList<Object>();
            for (var item : items) {
                out.add(
                        item.n() < 0
                                ? new CallRejectedException(422, item.n() + " has no real square root to offer")
                                : (Object) (item.n() * item.n()));
            }
            return out;
        }
    }

    /** What a stream of {@link Streams} is asked for. */
    /** Items to stream: {@code count} of them, {@code delayMillis} apart; item {@code stallAt} (if 1 or more) hangs. */
    public record Ask(int count, int delayMillis, int failAt, int padBytes, int stallAt) {}

    /** One item of a stream. */
    public record Item(int i, String pad) {}

    /**
     * Streams items as a Stream, an Iterator or a Flow.Publisher; counts what it produced and says when a caller that
     * went away stopped it (its thread interrupted), in the clock the test reads too.
     */
    @Service(name = "streams")
    public static final class Streams {

        private static final AtomicLong PRODUCED = new AtomicLong();
        private static final AtomicLong INTERRUPTED_AT = new AtomicLong();
        private static final AtomicLong STARTED = new AtomicLong();

        private static Item item(Ask ask, int i) {
            STARTED.incrementAndGet();
            if (i == ask.failAt()) {
                throw new IllegalStateException("item " + i + " cannot be made");
            }
            long delay = ask.stallAt() > 0 && i == ask.stallAt() ? 600_000 : ask.delayMillis();
            if (delay > 0) {
                try {
                    Thread.sleep(delay);
                } catch (InterruptedException e) {
                    INTERRUPTED_AT.compareAndSet(0, System.currentTimeMillis());
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException("interrupted", e);
                }
            }
            PRODUCED.incrementAndGet();
            return new Item(i, "x".repeat(ask.padBytes()));
        }

        @Endpoint("stream")
        public Stream<Item> stream(Ask ask) {
            return IntStream.range(0, ask.count()).mapToObj(i -> item(ask, i));
        }

        @Endpoint("iterate")
        public Iterator<Item> iterate(Ask ask) {
            return new Counting(ask);
        }

        /** A named class, not an anonymous one: the test jar holds a class's nested classes. */
        public static final class Counting implements Iterator<Item> {
            private final Ask ask;
            private int next;

            Counting(Ask ask) {
                this.ask = ask;
            }

            @Override
            public boolean hasNext() {
                return next < ask.count();
            }

            @Override
            public Item next() {
                return item(ask, next++);
            }
        }

        /**
         * A publisher that starts producing, on a virtual thread of its own, once subscribed to: submit blocks while
         * the subscriber has not asked for more.
         */
        @Endpoint("publish")
        public Flow.Publisher<Item> publish(Ask ask) {
            return subscriber -> {
                var publisher = new SubmissionPublisher<Item>(
                        command -> Thread.ofVirtual().start(command), 4);
                publisher.subscribe(subscriber);
                Thread.ofVirtual().start(() -> {
                    try {
                        for (int i = 0; i < ask.count(); i++) {
                            publisher.submit(item(ask, i));
                        }
                        publisher.close();
                    } catch (RuntimeException e) {
                        publisher.closeExceptionally(e);
                    }
                });
            };
        }

        /** One string of {@code bytes} per item, {@code count} times: a large stream made cheaply. */
        @Endpoint("bulk")
        public Stream<String> bulk(Ask ask) {
            var chunk = "y".repeat(ask.padBytes());
            return IntStream.range(0, ask.count()).mapToObj(i -> {
                PRODUCED.incrementAndGet();
                return chunk;
            });
        }

        @Endpoint("produced")
        public Map<String, Long> produced() {
            return Map.of("produced", PRODUCED.get(), "interruptedAt", INTERRUPTED_AT.get(), "started", STARTED.get());
        }
    }

    /** What the contract service's first version takes and answers. */
    public record Quote(String item, int quantity) {}

    public record Price(double amount, String currency) {}

    /** A later version's: a field added to each (callers of the first are not broken). */
    public record QuoteWithNote(String item, int quantity, String note) {}

    public record PriceWithTax(double amount, String currency, double tax) {}

    /** A breaking version's: the request's quantity and the answer's currency are gone. */
    public record ItemOnly(String item) {}

    public record AmountOnly(double amount) {}

    @Service(name = "contract")
    public static final class ContractV1 {
        @Endpoint("price")
        public Price price(Quote quote) {
            return new Price(quote.quantity() * 2.0, "EUR");
        }
    }

    @Service(name = "contract")
    public static final class ContractAdded {
        @Endpoint("price")
        public PriceWithTax price(QuoteWithNote quote) {
            return new PriceWithTax(quote.quantity() * 2.0, "EUR", 0.2);
        }
    }

    @Service(name = "contract")
    public static final class ContractBroken {
        @Endpoint("price")
        public AmountOnly price(ItemOnly quote) {
            return new AmountOnly(1.0);
        }
    }
}
