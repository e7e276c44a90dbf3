"""Write a flowhost table from Python with nothing but the standard library.

    from flowhost_tables import TableWriter

    with TableWriter("http://127.0.0.1:8080", "recs") as table:
        for user, items in scores.items():
            table.put(user, {"items": items})
    # leaving the block publishes the version (all rows, or none: an exception abandons it)

Rows go in batches (PUT /v1/tables/{name}/versions/{v}/rows); publishing sends the number of rows written, so the
server refuses to publish a version some of whose rows did not arrive. A token (deploy scope) is read from
FLOWHOST_TOKEN when the server asks for one.
"""

import json
import os
import sys
import urllib.error
import urllib.parse
import urllib.request


class TableError(Exception):
    """The server refused a step; the message is its problem's detail."""


class TableWriter:
    def __init__(self, server, table, key_type="string", token=None, batch_rows=10000, timeout=300):
        self.server = server.rstrip("/")
        self.table = table
        self.key_type = key_type
        self.token = token if token is not None else os.environ.get("FLOWHOST_TOKEN")
        self.batch_rows = batch_rows
        self.timeout = timeout
        self.version = None
        self.rows = 0
        self._batch = {}

    def __enter__(self):
        query = urllib.parse.urlencode({"key-type": self.key_type})
        begun = self._send("POST", "/v1/tables/%s/versions?%s" % (self._name(), query))
        self.version = begun["version"]
        return self

    def put(self, key, value):
        """Adds one row; a key given twice keeps its last value."""
        self._batch[str(key)] = value
        self.rows += 1
        if len(self._batch) >= self.batch_rows:
            self.flush()

    def flush(self):
        if self._batch:
            body = json.dumps(self._batch, separators=(",", ":")).encode("utf-8")
            self._send("PUT", "/v1/tables/%s/versions/%d/rows" % (self._name(), self.version), body)
            self._batch = {}

    def __exit__(self, kind, error, trace):
        if kind is None:
            self.flush()
            self.published = self._send(
                "POST", "/v1/tables/%s/versions/%d/publish?rows=%d" % (self._name(), self.version, self.rows))
            return False
        if self.version is not None:
            try:
                self._send("DELETE", "/v1/tables/%s/versions/%d" % (self._name(), self.version))
            except TableError as abandon_failed:
                print("flowhost: could not abandon version %d: %s" % (self.version, abandon_failed), file=sys.stderr)
        return False

    def _name(self):
        return urllib.parse.quote(self.table, safe="")

    def _send(self, method, path, body=None):
        request = urllib.request.Request(self.server + path, data=body, method=method)
        request.add_header("Accept", "application/json")
        if body is not None:
            request.add_header("Content-Type", "application/json")
        if self.token:
            request.add_header("Authorization", "Bearer " + self.token)
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as answer:
                return json.loads(answer.read() or b"{}")
        except urllib.error.HTTPError as refused:
            try:
                detail = json.loads(refused.read()).get("detail", "")
            except ValueError:
                detail = ""
            raise TableError("%s %s: %d %s" % (method, path, refused.code, detail)) from None
