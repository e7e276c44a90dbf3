"""Writes cases.json: real CPython pickles of many values, each with the tagged JSON that the fixtures'
value_encoding gives it (a reference encoder below), or the error the JVM reader must raise.

Run from this folder with python3 and numpy installed (written with CPython 3.11+, numpy 2.x):
    python3 generate.py
numpy 1.x pickles are made from numpy 2.x ones by renaming numpy._core to numpy.core, which is the only
difference in what they write for these values.
"""
import collections
import json
import math
import pickle
import random
import struct

import numpy as np


def enc(v):
    """The fixtures' value_encoding, as read from metaflow-iris.expected.json."""
    if v is None or isinstance(v, (bool, str)):
        return v
    if isinstance(v, np.ndarray):
        # str(dtype) of the array as Python holds it after unpickling (numpy byte-swaps big-endian data to native)
        return {"$type": "ndarray", "dtype": str(v.dtype.newbyteorder("=")), "shape": list(v.shape), "values": enc(v.tolist())}
    if isinstance(v, np.generic):
        return enc(v.item())
    if isinstance(v, int):
        return v if abs(v) < 2**53 else {"$type": "int", "value": str(v)}
    if isinstance(v, float):
        if math.isnan(v):
            return {"$type": "float", "value": "nan"}
        if math.isinf(v):
            return {"$type": "float", "value": "inf" if v > 0 else "-inf"}
        if v == 0 and math.copysign(1, v) < 0:
            return {"$type": "float", "value": "-0.0"}
        return v
    if isinstance(v, list):
        return [enc(x) for x in v]
    if isinstance(v, tuple):
        return {"$type": "tuple", "items": [enc(x) for x in v]}
    if isinstance(v, dict):
        if all(isinstance(k, str) for k in v):
            return {k: enc(x) for k, x in v.items()}
        return {"$type": "dict", "items": [[enc(k), enc(x)] for k, x in v.items()]}
    if isinstance(v, (set, frozenset)):
        kind = "frozenset" if isinstance(v, frozenset) else "set"
        return {"$type": kind, "items": [enc(x) for x in sorted(v, key=repr)]}
    if isinstance(v, (bytes, bytearray)):
        import base64, hashlib
        out = {"$type": "bytes", "length": len(v), "sha256": hashlib.sha256(v).hexdigest()}
        if len(v) <= 4096:
            out["base64"] = base64.b64encode(v).decode()
        return out
    raise TypeError(type(v))


def numpy1(data):
    """The same pickle as numpy 1.x writes it: module numpy.core.* instead of numpy._core.*."""
    out = data.replace(b"numpy._core.", b"numpy.core.")
    # protocol 4+: SHORT_BINUNICODE length bytes and the first FRAME's length shrink by one per rename
    for length in range(1, 256):
        old = bytes([0x8C, length]) + b"numpy.core."
        if old in out:
            out = out.replace(old, bytes([0x8C, length - 1]) + b"numpy.core.")
    if out[2:3] == b"\x95":
        (frame,) = struct.unpack("<Q", out[3:11])
        out = out[:3] + struct.pack("<Q", frame - (len(data) - len(out))) + out[11:]
    return out


cases = []
Point = collections.namedtuple("Point", "x y")  # like Metaflow's ForeachFrame: a namedtuple of __main__


def case(name, value, protocols=(2, 4), numpy1_too=False, expected=None):
    for protocol in protocols:
        data = pickle.dumps(value, protocol=protocol)
        want = enc(value) if expected is None else expected
        variants = [("", data)]
        if numpy1_too:
            variants.append((" numpy1", numpy1(data)))
        for suffix, blob in variants:
            back = pickle.loads(blob)  # the pickle must be valid for CPython too
            assert enc(back) == enc(value) or expected is not None, name
            cases.append({"name": f"{name} (protocol {protocol}{suffix})", "pickle": blob.hex(), "expected": want})


def error(name, value, python_type, protocols=(2, 4), kind="unsupported"):
    for protocol in protocols:
        data = pickle.dumps(value, protocol=protocol)
        cases.append({"name": f"{name} (protocol {protocol})", "pickle": data.hex(),
                      "error": {"kind": kind, "python_type": python_type}})


ALL = (0, 1, 2, 3, 4, 5)

# scalars
case("None", None, ALL)
case("booleans", [True, False], ALL)
case("small ints", [0, 1, 255, 256, 65535, 65536, -1, -256, 2**31 - 1, -2**31, 2**31, -2**31 - 1], ALL)
case("ints around 2**53", [2**53 - 1, -(2**53 - 1), 2**53, -2**53, 2**62, -2**63, 2**63 - 1, 2**63, 2**64, 2**70,
                           -2**70, 10**40], ALL)
case("floats", [0.0, 1.0, -1.5, 0.1, 1e-5, 1e16, 1.7976931348623157e308, 5e-324, 2.5e-310, 123456789.125], ALL)
case("special floats", [float("nan"), float("inf"), float("-inf"), -0.0], ALL)
case("strings", ["", "plain", "quote ' and \" and \\ backslash", "line\nbreak\ttab\r", "caf\u00e9 \u20ac \U0001F600",
                 "nul \x00 and \x1a", "\u2028\u00a0"], ALL)
case("lone surrogate", "\ud800x", (2, 4))
case("bytes", [b"", b"\x00\xff", bytes(range(256))], ALL)
case("bytes over 4096", bytes(4097), (4,))
case("bytearray", [bytearray(b"ab\x00\xff"), bytearray()], ALL)

# containers
case("empty containers", ((), [], {}, set(), frozenset()), ALL)
case("nested list", [[1, [2, [3, [4, []]]]], "x"], ALL)
case("tuples of each size", [(), (1,), (1, 2), (1, 2, 3), (1, 2, 3, 4)], ALL)
case("dict with str keys keeps order", {"b": 1, "a": 2, "c": {"z": None, "y": [1.5]}}, ALL)
case("dict with int and tuple keys", {1: "one", (2, "two"): [2], None: 0.5, 2.5: True, "s": "str"}, ALL)
case("dict with frozenset and bytes keys", {frozenset({1, 2}): 1, b"k": 2}, ALL)
case("set of ints sorted by repr", {10, 9, 100, -1}, ALL)
case("set of mixed items sorted by repr", {1, "a", None, (1, 2), b"b", 2.5, False, "it's"}, ALL)
case("frozenset of strings", frozenset({"b", "a", "\u00e9", "A"}), ALL)
case("set inside a list", [{1}, frozenset({2})], ALL)
case("OrderedDict", collections.OrderedDict([("b", 1), ("a", [2])]), ALL)
case("OrderedDict with int keys", collections.OrderedDict([(2, "b"), (1, "a")]), ALL)
case("large list (APPENDS batches)", list(range(1001)), (4,))
case("large dict (SETITEMS batches)", {str(i): 0 for i in range(1001)}, (4,))
case("large set (ADDITEMS batches)", set(range(1001)), (4,))
shared = [1, 2]
case("shared references", [shared, shared, {"k": shared}, (shared,)], ALL)
case("many distinct strings (LONG_BINPUT)", [f"s{i}" for i in range(300)] + ["s7"], (2, 4))

# numpy
case("numpy float64 scalar", np.float64(0.9777777777777777), (2, 4), numpy1_too=True)
case("numpy scalars of each kind", [np.float32(0.1), np.float16(1.5), np.int8(-5), np.int16(-300), np.int32(7),
                                    np.int64(-3), np.uint8(200), np.uint16(65535), np.uint32(2**32 - 1),
                                    np.uint64(2**64 - 1), np.bool_(True), np.bool_(False)], (2, 4), numpy1_too=True)
case("numpy float32 array", np.array([[1.5, -2.0, 3.25], [0.0, 1e-3, -0.0]], dtype="f4"), (2, 4, 5), numpy1_too=True)
case("numpy int64 array", np.arange(-3, 3, dtype="i8").reshape(2, 3), (2, 4, 5), numpy1_too=True)
case("numpy fortran-order int64 array", np.asfortranarray(np.arange(24, dtype="i8").reshape(2, 3, 4)), (2, 4, 5),
     numpy1_too=True)
case("numpy zero-dimensional array", np.array(3.5), (2, 4))
case("numpy empty array", np.zeros((2, 0), dtype="f8"), (2, 4))
case("numpy bool and uint8 arrays", [np.array([True, False, True]), np.array([0, 7, 255], dtype="u1")], (2, 4))
case("numpy other integer arrays", [np.array([-1, 2], dtype="i1"), np.array([-1, 2], dtype="i2"),
                                    np.array([-1, 2], dtype="i4"), np.array([1, 2], dtype="u2"),
                                    np.array([2**32 - 1], dtype="u4"), np.array([2**64 - 1, 5], dtype="u8")], (2, 4))
case("numpy float16 and float64 arrays with special values",
     [np.array([1.5, np.nan, -np.inf], dtype="f2"), np.array([np.nan, np.inf, -0.0, 1e300], dtype="f8")], (2, 4))
case("numpy big-endian int32 array", np.array([1, -2, 3], dtype=">i4"), (2, 4))
case("numpy big-endian float64 array", np.array([1.5, -2.25], dtype=">f8"), (2, 4))
case("numpy arrays sharing a dtype", {"a": np.array([1.0]), "b": np.array([2.0, 3.0]), "c": np.float64(4.0)}, (2, 4))
case("the same numpy array twice", [np.array([1, 2])] * 2, (2, 4))
error("numpy object array", np.array([1, None], dtype=object), "numpy.ndarray")
error("numpy unicode array", np.array(["ab", "c"]), "numpy.ndarray")
error("numpy structured array", np.zeros(2, dtype=[("x", "f4"), ("y", "i4")]), "numpy.dtype")
error("numpy complex array", np.array([1 + 2j]), "numpy.ndarray")
error("numpy dtype on its own", np.dtype("f8"), "numpy.dtype")
error("numpy datetime64 scalar", np.datetime64("2024-01-01"), "numpy.generic")

# refused
error("class object as a value", [set], "builtins.set")
error("complex number", 1 + 2j, "builtins.complex")
error("datetime", __import__("datetime").date(2024, 1, 2), "datetime.date")
error("namedtuple", Point(1, 2), "__main__.Point")
error("defaultdict", collections.defaultdict(list), "collections.defaultdict")
error("Counter", collections.Counter("aab"), "collections.Counter")
error("range", range(3), "builtins.range")
error("slice", slice(1, 2), "builtins.slice")

rng = random.Random(7)
float_reprs = []
for _ in range(500):
    bits = rng.getrandbits(64)
    value = struct.unpack("<d", struct.pack("<Q", bits))[0]
    float_reprs.append([f"{bits:016x}", repr(value)])
for value in [0.1, 0.5, 1.0, 100.0, 1e15, 1e16, 1e17, 1.5e16, 123456789012345678.0, 1e-4, 1e-5, 0.00012345, 5e-324,
              1.7976931348623157e308, 2.0**53, 2.0**60, 1 / 3, 2 / 3, 9007199254740993.0, 4.35, 0.3]:
    for v in (value, -value):
        bits = struct.unpack("<Q", struct.pack("<d", v))[0]
        float_reprs.append([f"{bits:016x}", repr(v)])

strings = ["", "a", "it's", 'say "hi"', "both ' and \"", "back\\slash", "\x00\x07\x7f\x80\x9f\xa0\xad\xff",
           "\u0300\u200b\u2028\u3000\ue000\uffff", "\U0001F600\U000E0001\U0010FFFF", "\ud800", "tab\tnl\ncr\r"]
str_reprs = [[s.encode("utf-8", "surrogatepass").hex(), repr(s)] for s in strings]
bytes_reprs = [[b.hex(), repr(b)] for b in [b"", b"'", b"\"'", b"\x00\x7f\x80\xff", b"a\\b\t\n\r"]]

def lines(items):
    return "[\n" + ",\n".join(json.dumps(item, allow_nan=False) for item in items) + "\n]"


with open("cases.json", "w", encoding="utf-8") as f:
    generator = f"generate.py (CPython {__import__('sys').version.split()[0]}, numpy {np.__version__})"
    f.write('{"generator": ' + json.dumps(generator) + ',\n"cases": ' + lines(cases) + ',\n"float_reprs": '
            + lines(float_reprs) + ',\n"str_reprs": ' + lines(str_reprs) + ',\n"bytes_reprs": '
            + lines(bytes_reprs) + "}\n")
print(len(cases), "cases,", len(float_reprs), "float reprs")
