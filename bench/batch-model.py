"""A deterministic MLP as an ONNX model, for bench/batching.sh: three layers WIDTH wide (2048 by default: 36 MB of
weights, more than the CPU's caches hold, read for every run), so that a single-row inference costs about a
millisecond while a batch of 64 rows reads the weights once. Written with Debian's python3-onnx and numpy (run it with /usr/bin/python3); no download.

    /usr/bin/python3 bench/batch-model.py OUT.onnx [WIDTH] [LAYERS]
"""

import sys

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper


def build(out, width=2048, layers=3, features=256, classes=10, seed=42):
    rng = np.random.default_rng(seed)
    nodes, inits = [], []
    prev, size = "features", features
    for i in range(layers):
        w = (rng.standard_normal((size, width)) / np.sqrt(size)).astype(np.float32)
        b = np.zeros(width, dtype=np.float32)
        inits += [numpy_helper.from_array(w, "w%d" % i), numpy_helper.from_array(b, "b%d" % i)]
        nodes += [
            helper.make_node("MatMul", [prev, "w%d" % i], ["m%d" % i]),
            helper.make_node("Add", ["m%d" % i, "b%d" % i], ["a%d" % i]),
            helper.make_node("Relu", ["a%d" % i], ["h%d" % i]),
        ]
        prev, size = "h%d" % i, width
    w = (rng.standard_normal((size, classes)) / np.sqrt(size)).astype(np.float32)
    inits.append(numpy_helper.from_array(w, "w_out"))
    nodes += [
        helper.make_node("MatMul", [prev, "w_out"], ["logits"]),
        helper.make_node("Softmax", ["logits"], ["probabilities"], axis=1),
    ]
    graph = helper.make_graph(
        nodes,
        "mlp",
        [helper.make_tensor_value_info("features", TensorProto.FLOAT, ["batch", features])],
        [helper.make_tensor_value_info("probabilities", TensorProto.FLOAT, ["batch", classes])],
        inits,
    )
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 13)], producer_name="flowhost-bench")
    model.ir_version = 8
    onnx.checker.check_model(model)
    onnx.save(model, out)


if __name__ == "__main__":
    build(sys.argv[1], *(int(a) for a in sys.argv[2:]))
