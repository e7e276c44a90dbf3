"""RecsFlow: precomputes recommendations for every known user, for flowhost to serve as a table.

    python recs_flow.py run                                   # the scores become the end step's `recs` artifact
    flowhost table load recs metaflow://RecsFlow/latest/end/recs

or, to write the table while the flow runs (any flowhost server the flow can reach, no extra package):

    FLOWHOST_SERVER=http://127.0.0.1:8080 python recs_flow.py run

Then `flowhost deploy examples/recs/target/recs-service.jar` serves /v1/services/recs/recommend, answering from
the table and computing live for users it does not have.
"""

import os

from metaflow import FlowSpec, Parameter, step

from flowhost_tables import TableWriter


class RecsFlow(FlowSpec):
    users = Parameter("users", default=1000, help="how many users to precompute")
    catalog = Parameter("catalog", default=100, help="how many items there are")

    @step
    def start(self):
        # A stand-in for a real model: each user's three items, deterministic so that runs compare.
        self.recs = {
            "u%d" % u: {"items": [(u * 7 + k * 13) % self.catalog for k in range(3)]}
            for u in range(self.users)
        }
        self.next(self.end)

    @step
    def end(self):
        server = os.environ.get("FLOWHOST_SERVER")
        if server:
            with TableWriter(server, "recs") as table:
                for user, value in self.recs.items():
                    table.put(user, value)
            print("published recs version %d (%d rows) to %s" % (table.version, table.rows, server))


if __name__ == "__main__":
    RecsFlow()
