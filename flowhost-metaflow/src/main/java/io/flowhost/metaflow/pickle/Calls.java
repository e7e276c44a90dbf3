package io.flowhost.metaflow.pickle;

import java.util.List;
import java.util.Map;

/**
 * The opcodes that would run Python code in CPython (REDUCE, NEWOBJ, NEWOBJ_EX, BUILD), answered from the
 * whitelist instead: nothing named in a pickle is ever imported, instantiated or called.
 */
final class Calls {

    private Calls() {}

    /** REDUCE: {@code callable(*args)}. */
    static Object reduce(Object callable, Object args, PickleInput in) {
        if (!(callable instanceof PyGlobal global)) {
            throw in.corrupt("REDUCE needs a callable, found " + describe(callable));
        }
        var items = arguments(args, in);
        return global.isNumpy() ? Numpy.call(global, items, in) : Builtins.call(global, plain(items, args, in), in);
    }

    /** NEWOBJ and NEWOBJ_EX: {@code cls.__new__(cls, *args, **kwargs)}. */
    static Object newObject(Object cls, Object args, Object kwargs, PickleInput in) {
        if (!(cls instanceof PyGlobal global)) {
            throw in.corrupt(Opcodes.name(in.opcode()) + " needs a class, found " + describe(cls));
        }
        if (kwargs != null && !(kwargs instanceof Map<?, ?> map && map.isEmpty())) {
            throw in.unsupported(
                    global.qualifiedName(),
                    "keyword arguments to " + global.qualifiedName() + ".__new__ are not supported");
        }
        var items = arguments(args, in);
        if (global.isNumpy()) {
            throw in.unsupported(global.qualifiedName(), "NEWOBJ of " + global.qualifiedName() + " is not supported");
        }
        return Builtins.newObject(global, plain(items, args, in), in);
    }

    /** BUILD: set the state of the object on top of the stack (only numpy arrays and dtypes have one). */
    static void build(Object target, Object state, PickleInput in) {
        switch (target) {
            case ArrayBuilder array -> Numpy.setArrayState(array, state, in);
            case NumpyDType dtype -> Numpy.setDTypeState(dtype, state, in);
            case null, default -> throw in.corrupt("BUILD cannot set the state of " + describe(target));
        }
    }

    private static List<Object> arguments(Object args, PickleInput in) {
        return switch (args) {
            case PyTuple tuple -> tuple.items();
            case ArgTuple tuple -> tuple.items();
            case null, default ->
                throw in.corrupt(Opcodes.name(in.opcode()) + " arguments must be a tuple, found " + describe(args));
        };
    }

    /** Builtins only take plain values: a class or half-built object among their arguments is refused. */
    private static List<Object> plain(List<Object> items, Object args, PickleInput in) {
        if (args instanceof ArgTuple tuple) {
            throw tuple.notAValue(in);
        }
        return items;
    }

    static String describe(Object value) {
        return switch (value) {
            case null -> "None";
            case PyGlobal global -> global.qualifiedName();
            case List<?> list -> "a list";
            case Map<?, ?> map -> "a dict";
            case PyTuple tuple -> "a tuple";
            case PySet set -> set.frozen() ? "a frozenset" : "a set";
            case byte[] bytes -> "bytes";
            default -> "a " + value.getClass().getSimpleName();
        };
    }
}
