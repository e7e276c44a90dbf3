package io.flowhost.examples.echo;

import io.flowhost.sdk.Endpoint;
import io.flowhost.sdk.Service;
import java.util.Map;

/** Answers every call with its own body: the smallest service, for tests and benchmarks of the platform itself. */
@Service(name = "echo")
public final class EchoService {

    /** Returns the request body as it came. */
    @Endpoint(value = "echo", example = "{\"hello\": \"world\"}")
    public Map<String, Object> echo(Map<String, Object> body) {
        return body;
    }
}
