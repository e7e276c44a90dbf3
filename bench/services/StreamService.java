import io.flowhost.sdk.Endpoint;
import io.flowhost.sdk.Service;
import java.util.stream.IntStream;
import java.util.stream.Stream;

/** Streams for bench/streaming.sh: {@code count} strings of {@code bytes} each, {@code pauseMillis} apart after the first. */
@Service(name = "streams")
public class StreamService {

    public record Ask(int count, int bytes, int pauseMillis) {}

    @Endpoint("stream")
    public Stream<String> stream(Ask ask) {
        var item = "y".repeat(ask.bytes());
        return IntStream.range(0, ask.count()).mapToObj(i -> {
            if (i > 0 && ask.pauseMillis() > 0) {
                try {
                    Thread.sleep(ask.pauseMillis());
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException("the caller went away", e);
                }
            }
            return item;
        });
    }
}
