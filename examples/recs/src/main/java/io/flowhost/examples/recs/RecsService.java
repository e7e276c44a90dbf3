package io.flowhost.examples.recs;

import io.flowhost.sdk.Endpoint;
import io.flowhost.sdk.Service;
import io.flowhost.sdk.ServiceContext;
import io.flowhost.sdk.Tables;
import java.util.ArrayList;
import java.util.List;

/**
 * Recommendations the way Netflix pairs Metaflow Hosting with {@code metaflow.Cache}: a flow computes them for
 * every known user ahead of time into a table, and this endpoint answers from that table, computing live only for
 * a user the table does not have (a new one, say).
 */
@Service(name = "recs")
public final class RecsService {

    /** Who asks. */
    public record Ask(String user) {}

    /** What the flow stored for a user. */
    public record Precomputed(List<Integer> items) {}

    /** The answer, saying where it came from. */
    public record Recommendation(String user, List<Integer> items, String source) {}

    private final Tables tables;
    private final String table;
    private final int catalog;

    public RecsService(ServiceContext context) {
        this.tables = context.tables();
        this.table = context.setting("table").orElse("recs");
        this.catalog = Integer.parseInt(context.setting("catalog").orElse("100"));
    }

    /** The user's precomputed items when the table has them, else a live (cheap, generic) answer. */
    @Endpoint(value = "recommend", example = "{\"user\": \"u1\"}")
    public Recommendation recommend(Ask ask) {
        return tables.get(table, ask.user(), Precomputed.class)
                .map(p -> new Recommendation(ask.user(), p.items(), "precomputed"))
                .orElseGet(() -> new Recommendation(ask.user(), live(ask.user()), "live"));
    }

    /** Three items picked from the user's name: what a real service would compute with a model. */
    private List<Integer> live(String user) {
        var items = new ArrayList<Integer>();
        int h = Math.abs(user.hashCode());
        for (int i = 0; i < 3; i++) {
            items.add((h + i * 31) % catalog);
        }
        return items;
    }
}
