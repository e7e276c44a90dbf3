package io.flowhost.state.contract;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.flowhost.domain.request.Result;
import io.flowhost.domain.request.State;
import io.flowhost.domain.request.UnknownRequestException;
import io.flowhost.state.RequestStore;
import io.flowhost.state.RequestStoreException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

public abstract class WhenFinishedContract {

    /** The store under test, opened in {@code place} (again, after {@link TempStore#reopen}). */
    protected abstract RequestStore open(Path place);

    private static final Result OK = new Result(200, "text/plain", "done".getBytes());

    @RegisterExtension
    final TempStore temp = new TempStore(this::open);

    @Test
    void aWaitCompletesWhenTheRequestSucceeds() throws Exception {
        var r = temp.submit(temp.call("echo-v1"));
        var wait = temp.store().whenFinished(r.id());
        temp.store().lease("echo-v1", "w", Duration.ofMinutes(1), temp.clock().instant());
        assertThat(wait).isNotDone();

        temp.store().complete(r.id(), "w", OK, temp.clock().instant());

        var done = wait.get(10, TimeUnit.SECONDS);
        assertThat(done.state()).isEqualTo(State.SUCCEEDED);
        assertThat(done.result()).isEqualTo(OK);
    }

    @Test
    void aWaitForAFinishedRequestCompletesAtOnce() {
        var r = temp.submit(temp.call("echo-v1"));
        temp.store().cancel(r.id(), temp.clock().instant());

        assertThat(temp.store().whenFinished(r.id())).isCompletedWithValueMatching(f -> f.state() == State.CANCELLED);
    }

    @Test
    void aWaitCompletesWhenTheRequestExpires() throws Exception {
        var expiring = temp.submit(temp.call("echo-v1"));
        var wait = temp.store().whenFinished(expiring.id());

        temp.store().sweep(temp.clock().advance(Duration.ofHours(6)));

        assertThat(wait.get(10, TimeUnit.SECONDS).state()).isEqualTo(State.EXPIRED);
    }

    @Test
    void manyWaitsForOneRequestAllComplete() throws Exception {
        var r = temp.submit(temp.call("echo-v1"));
        var first = temp.store().whenFinished(r.id());
        var second = temp.store().whenFinished(r.id());

        temp.store().cancel(r.id(), temp.clock().instant());

        assertThat(first.get(10, TimeUnit.SECONDS).state()).isEqualTo(State.CANCELLED);
        assertThat(second.get(10, TimeUnit.SECONDS).state()).isEqualTo(State.CANCELLED);
    }

    @Test
    void aWaitForAnUnknownRequestFails() {
        assertThatThrownBy(() -> temp.store().whenFinished("nope").join())
                .isInstanceOf(CompletionException.class)
                .cause()
                .isInstanceOf(UnknownRequestException.class);
    }

    @Test
    void closingTheStoreFailsTheWaitsStillOpen() {
        var r = temp.submit(temp.call("echo-v1"));
        var wait = temp.store().whenFinished(r.id());

        temp.reopen();

        assertThatThrownBy(wait::join).cause().isInstanceOf(RequestStoreException.class);
    }
}
