package io.flowhost.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.flowhost.domain.service.ServiceDefinitionException;
import io.flowhost.sdk.CallRejectedException;
import io.flowhost.sdk.Endpoint;
import io.flowhost.sdk.Service;
import io.flowhost.sdk.ServiceContext;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * A service run inside the test's own JVM: constructed with its settings and a real Metaflow datastore (the iris
 * example's), its endpoints called directly with the binding and the problems of a call over HTTP.
 */
class EmbeddedTest {

    public record Order(String item, int quantity) {}

    public record Receipt(String item, int quantity, String greeting, List<String> classes) {}

    @Service(name = "shop")
    public static class Shop {
        private final String greeting;
        private final List<?> classes;

        public Shop(ServiceContext context) {
            this.greeting = context.setting("greeting").orElse("hello");
            this.classes = (List<?>) context.artifacts().value("metaflow://IrisFlow/latest/end/class_names");
        }

        @Endpoint("order")
        public Receipt order(Order order) {
            if (order.quantity() <= 0) {
                throw new CallRejectedException("order at least one " + order.item());
            }
            if (order.item().equals("bomb")) {
                throw new IllegalStateException("the shop blew up");
            }
            return new Receipt(
                    order.item(),
                    order.quantity(),
                    greeting,
                    classes.stream().map(String::valueOf).toList());
        }

        @Endpoint("count")
        public Stream<Integer> count(Order order) {
            return Stream.iterate(1, i -> i + 1).limit(order.quantity());
        }
    }

    private static final String IRIS =
            Path.of("../examples/iris/metaflow").toAbsolutePath().normalize().toString();

    @Test
    void anEndpointIsCalledDirectlyWithItsSettingsAndMetaflowArtifacts() throws ServiceDefinitionException {
        try (var shop = Embedded.of(Shop.class, Map.of("greeting", "welcome"), IRIS)) {
            var receipt = shop.call("order", new Order("tea", 2), Receipt.class);

            assertThat(receipt.item()).isEqualTo("tea");
            assertThat(receipt.greeting()).isEqualTo("welcome");
            assertThat(receipt.classes()).containsExactly("setosa", "versicolor", "virginica");
            assertThat(shop.call("order", Map.of("item", "cake", "quantity", 1), Map.class))
                    .as("any input that is the same JSON")
                    .containsEntry("item", "cake");
            try (var counted = shop.stream("count", new Order("x", 3), Integer.class)) {
                assertThat(counted.toList()).containsExactly(1, 2, 3);
            }
            assertThat(shop.descriptor().endpoints()).hasSize(2);
        }
    }

    @Test
    void mistakesAndFailuresAreTheProblemsACallerOverHttpWouldGet() throws ServiceDefinitionException {
        try (var shop = Embedded.of(Shop.class, Map.of(), IRIS)) {
            assertThatThrownBy(() -> shop.call("order", Map.of("item", "tea", "quantity", "two"), Receipt.class))
                    .isInstanceOfSatisfying(CallFailedException.class, e -> {
                        assertThat(e.status()).isEqualTo(400);
                        assertThat(e.problem().detail()).contains("quantity");
                    });
            assertThatThrownBy(
                            () -> shop.call("order", Map.of("item", "tea", "quantity", 1, "extra", 1), Receipt.class))
                    .as("an unknown field is refused, as over HTTP")
                    .isInstanceOfSatisfying(
                            CallFailedException.class,
                            e -> assertThat(e.status()).isEqualTo(400));
            assertThatThrownBy(() -> shop.call("order", new Order("tea", 0), Receipt.class))
                    .isInstanceOfSatisfying(CallFailedException.class, e -> {
                        assertThat(e.status()).isEqualTo(422);
                        assertThat(e.problem().detail()).isEqualTo("order at least one tea");
                    });
            assertThatThrownBy(() -> shop.call("order", new Order("bomb", 1), Receipt.class))
                    .isInstanceOfSatisfying(CallFailedException.class, e -> {
                        assertThat(e.status()).isEqualTo(500);
                        assertThat(e.problem().type()).isEqualTo("urn:flowhost:problem:handler-failed");
                    });
            assertThatThrownBy(() -> shop.call("nope", null, Map.class))
                    .isInstanceOfSatisfying(
                            CallFailedException.class,
                            e -> assertThat(e.status()).isEqualTo(404));
            assertThatThrownBy(() -> shop.call("order", null, Map.class))
                    .isInstanceOfSatisfying(
                            CallFailedException.class,
                            e -> assertThat(e.status()).isEqualTo(400));
        }
    }
}
