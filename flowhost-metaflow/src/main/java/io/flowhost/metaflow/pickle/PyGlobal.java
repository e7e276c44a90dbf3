package io.flowhost.metaflow.pickle;

import java.util.Map;

/**
 * The whitelist: the only Python globals (module + name) a pickle may refer to. Each is understood by what it
 * builds, never imported or run. Anything else makes decoding fail with {@link UnsupportedPickleException}.
 */
enum PyGlobal implements Intermediate {
    SET("builtins", "set"),
    FROZENSET("builtins", "frozenset"),
    BYTEARRAY("builtins", "bytearray"),
    BYTES("builtins", "bytes"),
    LIST("builtins", "list"),
    DICT("builtins", "dict"),
    TUPLE("builtins", "tuple"),
    /** How protocols 0-2 write {@code bytes}: {@code _codecs.encode('\xff...', 'latin1')}. */
    CODECS_ENCODE("_codecs", "encode"),
    ORDERED_DICT("collections", "OrderedDict"),
    NUMPY_NDARRAY("numpy", "ndarray"),
    NUMPY_DTYPE("numpy", "dtype"),
    NUMPY_RECONSTRUCT("numpy._core.multiarray", "_reconstruct"),
    NUMPY_SCALAR("numpy._core.multiarray", "scalar"),
    /** How protocol 5 writes contiguous arrays: {@code _frombuffer(buffer, dtype, shape, order)}. */
    NUMPY_FROMBUFFER("numpy._core.numeric", "_frombuffer");

    /** Module names as older writers spell them: Python 2 (and protocol < 3) and numpy 1.x. */
    private static final Map<String, String> MODULE_ALIASES = Map.of(
            "__builtin__", "builtins",
            "numpy.core.multiarray", "numpy._core.multiarray",
            "numpy.core.numeric", "numpy._core.numeric");

    /**
     * Python 2 names that Python 3's unpickler renames (its {@code fix_imports}), so that errors name the type
     * as Python 3 knows it: {@code __builtin__.xrange} is {@code builtins.range}.
     */
    private static final Map<String, String> PYTHON2_NAMES = Map.of(
            "__builtin__.xrange", "builtins.range",
            "__builtin__.unicode", "builtins.str",
            "__builtin__.basestring", "builtins.str",
            "__builtin__.long", "builtins.int",
            "__builtin__.unichr", "builtins.chr",
            "__builtin__.reduce", "functools.reduce",
            "__builtin__.intern", "sys.intern");

    private static final Map<String, String> PYTHON2_MODULES = Map.of(
            "__builtin__", "builtins",
            "copy_reg", "copyreg",
            "exceptions", "builtins");

    private final String module;
    private final String name;

    PyGlobal(String module, String name) {
        this.module = module;
        this.name = name;
    }

    /** The whitelisted global for a module and name as written in the pickle, or null. */
    static PyGlobal lookup(String module, String name) {
        String canonical = MODULE_ALIASES.getOrDefault(module, module);
        for (var global : values()) {
            if (global.module.equals(canonical) && global.name.equals(name)) {
                return global;
            }
        }
        return null;
    }

    /** {@code module.name} as Python 3 would resolve it, for messages. */
    static String python3Name(String module, String name) {
        String written = module + "." + name;
        String renamed = PYTHON2_NAMES.get(written);
        return renamed != null ? renamed : PYTHON2_MODULES.getOrDefault(module, module) + "." + name;
    }

    String qualifiedName() {
        return module + "." + name;
    }

    boolean isNumpy() {
        return module.startsWith("numpy");
    }

    @Override
    public PickleException notAValue(PickleInput in) {
        return in.unsupported(
                qualifiedName(),
                "the pickle holds the Python callable " + qualifiedName()
                        + " itself as a value, which has no JVM equivalent");
    }
}
