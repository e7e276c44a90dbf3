package io.flowhost.metaflow.pickle;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * What the whitelisted builtins make when a pickle calls them (REDUCE) or their {@code __new__} (NEWOBJ):
 * {@code set}, {@code frozenset}, {@code bytes}, {@code bytearray}, {@code list}, {@code dict}, {@code tuple},
 * {@code collections.OrderedDict} and {@code _codecs.encode}. Arguments are already plain values.
 */
final class Builtins {

    private Builtins() {}

    private static final Set<String> LATIN_1 =
            Set.of("latin1", "latin-1", "latin_1", "iso-8859-1", "iso8859-1", "iso_8859_1", "l1");

    /** {@code callable(*args)}. */
    static Object call(PyGlobal callable, List<Object> args, PickleInput in) {
        if (args.isEmpty()) {
            return empty(callable, in);
        }
        in.chargeCopy(copySize(args.get(0)));
        return switch (callable) {
            case SET -> new PySet(false, members(callable, only(callable, args, in), in));
            case FROZENSET ->
                only(callable, args, in) instanceof PySet set && set.frozen()
                        ? set // as Python does
                        : new PySet(true, members(callable, only(callable, args, in), in));
            case LIST -> new ArrayList<>(items(callable, only(callable, args, in), in));
            case TUPLE ->
                only(callable, args, in) instanceof PyTuple tuple
                        ? tuple // as Python does
                        : new PyTuple(items(callable, only(callable, args, in), in));
            case DICT, ORDERED_DICT -> dict(callable, only(callable, args, in), in);
            case BYTES, BYTEARRAY ->
                args.size() == 1 && args.get(0) instanceof byte[] bytes
                        ? bytes.clone()
                        : encode(callable, args, args.size() == 2 ? args.get(1) : null, in);
            case CODECS_ENCODE -> encode(callable, args, args.size() == 2 ? args.get(1) : "utf-8", in);
            default -> throw new IllegalArgumentException(callable + " is not a builtin");
        };
    }

    /** About what copying the argument of a builtin allocates: its bytes, or a reference or two per item. */
    private static long copySize(Object argument) {
        if (argument instanceof byte[] bytes) {
            return bytes.length;
        } else if (argument instanceof String text) {
            return text.length();
        } else if (argument instanceof List<?> list) {
            return 8L * list.size();
        } else if (argument instanceof PyTuple tuple) {
            return 8L * tuple.items().size();
        } else if (argument instanceof PySet set) {
            return 8L * set.items().size();
        } else if (argument instanceof Map<?, ?> map) {
            return 48L * map.size();
        }
        return 0;
    }

    /** {@code callable()}: an empty container. */
    private static Object empty(PyGlobal callable, PickleInput in) {
        return switch (callable) {
            case SET -> new PySet(false, new ArrayList<>());
            case FROZENSET -> new PySet(true, List.of());
            case LIST -> new ArrayList<>();
            case TUPLE -> new PyTuple(List.of());
            case DICT, ORDERED_DICT -> new LinkedHashMap<>();
            case BYTES, BYTEARRAY -> new byte[0];
            default -> badArguments(callable, List.of(), in);
        };
    }

    /** {@code cls.__new__(cls, *args)}: empty for the mutable containers, whose content comes later. */
    static Object newObject(PyGlobal cls, List<Object> args, PickleInput in) {
        return switch (cls) {
            case SET -> new PySet(false, new ArrayList<>());
            case LIST -> new ArrayList<>();
            case DICT, ORDERED_DICT -> new LinkedHashMap<>();
            case BYTEARRAY -> new byte[0];
            case FROZENSET, TUPLE, BYTES -> call(cls, args, in); // their __new__ takes the content
            default ->
                throw in.unsupported(cls.qualifiedName(), "NEWOBJ of " + cls.qualifiedName() + " is not supported");
        };
    }

    private static Object only(PyGlobal callable, List<Object> args, PickleInput in) {
        if (args.size() != 1) {
            badArguments(callable, args, in);
        }
        return args.get(0);
    }

    /** The items of an iterable argument: a list, tuple, set or bytes. */
    private static List<Object> items(PyGlobal callable, Object iterable, PickleInput in) {
        return switch (iterable) {
            case List<?> list -> new ArrayList<>(list);
            case PyTuple tuple -> tuple.items();
            case PySet set -> set.items();
            case Map<?, ?> map -> new ArrayList<>(map.keySet());
            case null, default -> badArguments(callable, Collections.singletonList(iterable), in);
        };
    }

    private static List<Object> members(PyGlobal callable, Object iterable, PickleInput in) {
        var members = new ArrayList<>(items(callable, iterable, in));
        for (var member : members) {
            Hashable.require(member, "set member", in);
        }
        return members;
    }

    /** {@code dict(mapping)}, or {@code OrderedDict([[k, v], ...])} as Python 2.7 pickled it. */
    private static Map<Object, Object> dict(PyGlobal callable, Object argument, PickleInput in) {
        if (argument instanceof Map<?, ?> map) {
            return new LinkedHashMap<>(map);
        }
        var out = new LinkedHashMap<>();
        for (var pair : items(callable, argument, in)) {
            List<Object> kv = pair instanceof PyTuple tuple
                    ? tuple.items()
                    : pair instanceof List<?> list ? new ArrayList<>(list) : null;
            if (kv == null || kv.size() != 2) {
                return badArguments(callable, Collections.singletonList(argument), in);
            }
            Hashable.require(kv.get(0), "dict key", in);
            out.put(kv.get(0), kv.get(1));
        }
        return out;
    }

    /** {@code str.encode(encoding)}: Latin-1 (each code point one byte, how protocol 2 writes bytes) or UTF-8. */
    private static byte[] encode(PyGlobal callable, List<Object> args, Object encoding, PickleInput in) {
        if (args.size() > 2 || !(args.get(0) instanceof String text) || !(encoding instanceof String name)) {
            return badArguments(callable, args, in);
        }
        String normalized = name.toLowerCase(Locale.ROOT);
        if (normalized.equals("utf-8") || normalized.equals("utf8")) {
            return text.getBytes(StandardCharsets.UTF_8);
        }
        if (!LATIN_1.contains(normalized)) {
            throw in.unsupported(
                    callable.qualifiedName(),
                    callable.qualifiedName() + " with encoding '" + name
                            + "' is not supported (expected latin1 or utf-8)");
        }
        var out = new byte[text.length()];
        for (int i = 0; i < out.length; i++) {
            char c = text.charAt(i);
            if (c > 0xFF) {
                throw in.corrupt(callable.qualifiedName() + ": character U+" + Integer.toHexString(c)
                        + " cannot be encoded as latin1");
            }
            out[i] = (byte) c;
        }
        return out;
    }

    private static <T> T badArguments(PyGlobal callable, List<Object> args, PickleInput in) {
        var types = new ArrayList<String>();
        for (var arg : args) {
            types.add(arg == null ? "None" : arg.getClass().getSimpleName());
        }
        throw in.unsupported(
                callable.qualifiedName(),
                callable.qualifiedName() + " called with arguments this reader" + " does not understand: ("
                        + String.join(", ", types) + ")");
    }
}
