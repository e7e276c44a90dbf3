package io.flowhost.state.sqlite;

import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.flowhost.state.contract.TempStore;
import io.flowhost.state.internal.Waiters;
import java.lang.reflect.Field;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The SQLite store forgets a waiter whose wait timed out, so that waits never pile up. */
class WaitersTest {

    @RegisterExtension
    final TempStore temp = new TempStore(place -> SqliteRequestStore.open(place.resolve("requests.db")));

    @Test
    void aWaitThatTimesOutIsForgotten() {
        var r = temp.submit(temp.call("echo-v1"));

        var wait = temp.store().whenFinished(r.id()).orTimeout(10, TimeUnit.MILLISECONDS);

        assertThatThrownBy(wait::join).cause().isInstanceOf(TimeoutException.class);
        await().atMost(Duration.ofSeconds(5)).until(() -> waiters() == 0);
    }

    private int waiters() throws ReflectiveOperationException {
        Field field = SqliteRequestStore.class.getDeclaredField("waiters");
        field.setAccessible(true);
        return ((Waiters) field.get(temp.store())).size();
    }
}
