"""Data for bench/tables.sh, deterministic: JSON Lines files of recommendations, and a copy of the iris example's
Metaflow datastore whose latest successful IrisFlow run's end task also holds them as a JSON Lines text artifact
(pickled by Python, gzip'd and named by SHA-1 as Metaflow stores blobs).

    python3 bench/tables-data.py jsonl ROWS OUT.jsonl [VERSION]
    python3 bench/tables-data.py artifact ROWS IRIS_DATASTORE COPY ARTIFACT
"""

import gzip
import hashlib
import json
import os
import pickle
import shutil
import sys

LATEST_SUCCESSFUL = "1795691852170532"


def row(i, version):
    return '{"key":"u%d","items":[%d,%d,%d],"score":%.4f,"v":%d}\n' % (
        i, (i * 7) % 1000, (i * 13 + 1) % 1000, (i * 29 + 2) % 1000, (i % 997) / 997.0, version)


def jsonl(rows, out, version=1):
    with open(out, "w", buffering=1 << 20) as f:
        for i in range(rows):
            f.write(row(i, version))


def artifact(rows, datastore, copy, name):
    if os.path.exists(copy):
        shutil.rmtree(copy)
    shutil.copytree(datastore, copy)
    text = "".join(row(i, 1) for i in range(rows))
    blob = pickle.dumps(text, protocol=4)
    sha = hashlib.sha1(blob).hexdigest()
    target = os.path.join(copy, ".metaflow", "IrisFlow", "data", sha[:2], sha)
    os.makedirs(os.path.dirname(target), exist_ok=True)
    with open(target, "wb") as f:
        f.write(gzip.compress(blob, compresslevel=1))
    data = os.path.join(copy, ".metaflow", "IrisFlow", LATEST_SUCCESSFUL, "end", "3", "0.data.json")
    with open(data) as f:
        task = json.load(f)
    task["objects"][name] = sha
    with open(data, "w") as f:
        json.dump(task, f)


if __name__ == "__main__":
    if sys.argv[1] == "jsonl":
        jsonl(int(sys.argv[2]), sys.argv[3], int(sys.argv[4]) if len(sys.argv) > 4 else 1)
    elif sys.argv[1] == "artifact":
        artifact(int(sys.argv[2]), sys.argv[3], sys.argv[4], sys.argv[5])
    else:
        sys.exit(__doc__)
