package io.flowhost.metaflow.pickle;

import static io.flowhost.metaflow.pickle.Opcodes.*;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The unpickler: a loop over opcodes driving a stack, a MARK stack and a memo, without recursion, so nesting
 * depth costs heap, not Java stack. One instance decodes one pickle.
 */
final class PickleMachine {

    private final PickleInput in;
    private final OperandStack stack = new OperandStack();
    private final Memo memo = new Memo();

    PickleMachine(byte[] pickle) {
        this.in = new PickleInput(pickle);
    }

    Object run() {
        while (true) {
            int opcode = in.nextOpcode();
            if (opcode == STOP) {
                return value(stack.pop(in));
            }
            execute(opcode);
        }
    }

    private void execute(int opcode) {
        switch (opcode) {
            case PROTO -> protocol(in.u8());
            case FRAME -> in.checkAvailable(in.u64le()); // frames only group bytes for buffered reading
            case MARK -> stack.mark();
            case POP -> pop();
            case POP_MARK -> stack.popToMark(in);
            case DUP -> stack.push(stack.peek(in));

            case NONE -> stack.push(null);
            case NEWTRUE -> stack.push(true);
            case NEWFALSE -> stack.push(false);
            case INT -> stack.push(TextLiterals.integer(in.line(), in));
            case BININT -> stack.push((long) in.s32le());
            case BININT1 -> stack.push((long) in.u8());
            case BININT2 -> stack.push((long) in.u16le());
            case LONG -> stack.push(TextLiterals.longInteger(in.line(), in));
            case LONG1 -> stack.push(PyInt.fromTwosComplementLittleEndian(in.bytes(in.u8())));
            case LONG4 -> stack.push(PyInt.fromTwosComplementLittleEndian(in.bytes(in.s32length())));
            case FLOAT -> stack.push(TextLiterals.floating(in.line(), in));
            case BINFLOAT -> stack.push(in.f64be());

            // Python 2 str (bytes there): read as Latin-1 text, one char per byte, like encoding='latin1'.
            case STRING -> stack.push(TextLiterals.quotedString(in.line(), in));
            case BINSTRING -> stack.push(latin1(in.bytes(in.s32length())));
            case SHORT_BINSTRING -> stack.push(latin1(in.bytes(in.u8())));
            case UNICODE -> stack.push(TextLiterals.rawUnicodeEscape(in.line(), in));
            case SHORT_BINUNICODE -> stack.push(in.utf8(in.u8()));
            case BINUNICODE -> stack.push(in.utf8(in.u32le()));
            case BINUNICODE8 -> stack.push(in.utf8(in.u64le()));
            case SHORT_BINBYTES -> stack.push(in.bytes(in.u8()));
            case BINBYTES -> stack.push(in.bytes(in.u32le()));
            case BINBYTES8, BYTEARRAY8 -> stack.push(in.bytes(in.u64le()));

            case EMPTY_LIST -> stack.push(new ArrayList<>());
            case APPEND -> append(Collections.singletonList(stack.pop(in)));
            case APPENDS -> append(stack.popToMark(in));
            case LIST -> stack.push(values(stack.popToMark(in)));
            case EMPTY_TUPLE -> stack.push(new PyTuple(List.of()));
            case TUPLE -> stack.push(tuple(stack.popToMark(in)));
            case TUPLE1, TUPLE2, TUPLE3 -> stack.push(tuple(popItems(opcode - TUPLE1 + 1)));
            case EMPTY_DICT -> stack.push(new LinkedHashMap<>());
            case DICT -> stack.push(setItems(new LinkedHashMap<>(), stack.popToMark(in)));
            case SETITEM -> setItems(popItems(2));
            case SETITEMS -> setItems(stack.popToMark(in));
            case EMPTY_SET -> stack.push(new PySet(false, new ArrayList<>()));
            case ADDITEMS -> addItems(stack.popToMark(in));
            case FROZENSET -> stack.push(new PySet(true, members(stack.popToMark(in))));

            case GET -> stack.push(memo.get(TextLiterals.memoIndex(in.line(), in), in));
            case BINGET -> stack.push(memo.get(in.u8(), in));
            case LONG_BINGET -> stack.push(memo.get(in.u32le(), in));
            case PUT -> memo.put(TextLiterals.memoIndex(in.line(), in), stack.peek(in));
            case BINPUT -> memo.put(in.u8(), stack.peek(in));
            case LONG_BINPUT -> memo.put(in.u32le(), stack.peek(in));
            case MEMOIZE -> memo.put(memo.size(), stack.peek(in));

            case GLOBAL -> stack.push(global(utf8Line(), utf8Line()));
            case STACK_GLOBAL -> stackGlobal();
            case REDUCE -> reduce();
            case BUILD -> build();
            case NEWOBJ -> newObject(null);
            case NEWOBJ_EX -> newObject(stack.pop(in));

            case INST -> {
                String qualified = PyGlobal.python3Name(utf8Line(), utf8Line());
                throw in.unsupported(
                        qualified,
                        "the pickle instantiates the Python class " + qualified
                                + " (INST), which the JVM reader cannot read");
            }
            case OBJ -> throw in.unsupported(null, "the OBJ opcode (protocol 1 class instance) is not supported");
            case PERSID, BINPERSID ->
                throw in.unsupported(
                        null,
                        "persistent IDs (" + Opcodes.name(opcode)
                                + ") refer to objects outside the pickle and are not supported");
            case EXT1, EXT2, EXT4 ->
                throw in.unsupported(null, "copyreg extension codes (" + Opcodes.name(opcode) + ") are not supported");
            case NEXT_BUFFER, READONLY_BUFFER ->
                // Python's pickler emits these only when given a buffer_callback, which then keeps the buffers
                // itself; Metaflow never passes one, so its blobs hold every byte of the value in band.
                throw in.unsupported(
                        null,
                        "the pickle refers to an out-of-band buffer (" + Opcodes.name(opcode)
                                + ", pickle protocol 5): such buffers travel beside a pickle, not in it, so they "
                                + "cannot be read from a pickle alone, and they are not in Metaflow artifacts "
                                + "(Metaflow pickles without a buffer_callback); was this blob written by "
                                + "something other than Metaflow?");
            default -> throw in.corrupt("unknown opcode " + String.format("0x%02x", opcode));
        }
    }

    private void protocol(int version) {
        if (version > HIGHEST_PROTOCOL) {
            throw in.unsupported(
                    null, "pickle protocol " + version + " is newer than the supported 0-" + HIGHEST_PROTOCOL);
        }
    }

    /** POP: drop the top item, or, like CPython, the innermost MARK when nothing was pushed since it. */
    private void pop() {
        if (stack.sizeAboveMark() == 0) {
            stack.popToMark(in);
        } else {
            stack.pop(in);
        }
    }

    private List<Object> popItems(int count) {
        var items = new Object[count];
        for (int i = count - 1; i >= 0; i--) {
            items[i] = stack.pop(in);
        }
        return new ArrayList<>(Arrays.asList(items));
    }

    /** APPEND(S): the items were popped first; the list is what is left on top. */
    private void append(List<Object> items) {
        if (!(stack.peek(in) instanceof List<?> target)) {
            throw in.corrupt(Opcodes.name(in.opcode()) + " needs a list, found " + Calls.describe(stack.peek(in)));
        }
        @SuppressWarnings("unchecked")
        var list = (List<Object>) target;
        list.addAll(values(items));
    }

    /** SETITEM(S): the keys and values were popped first; the dict is what is left on top. */
    private void setItems(List<Object> keysAndValues) {
        if (!(stack.peek(in) instanceof Map<?, ?> target)) {
            throw in.corrupt(Opcodes.name(in.opcode()) + " needs a dict, found " + Calls.describe(stack.peek(in)));
        }
        @SuppressWarnings("unchecked")
        var dict = (Map<Object, Object>) target;
        setItems(dict, keysAndValues);
    }

    private Map<Object, Object> setItems(Map<Object, Object> dict, List<Object> keysAndValues) {
        if (keysAndValues.size() % 2 != 0) {
            throw in.corrupt(Opcodes.name(in.opcode()) + " needs key/value pairs, found an odd number of items");
        }
        for (int i = 0; i < keysAndValues.size(); i += 2) {
            Object key = value(keysAndValues.get(i));
            Hashable.require(key, "dict key", in);
            dict.put(key, value(keysAndValues.get(i + 1)));
        }
        return dict;
    }

    private void addItems(List<Object> items) {
        if (!(stack.peek(in) instanceof PySet set) || set.frozen()) {
            throw in.corrupt("ADDITEMS needs a set, found " + Calls.describe(stack.peek(in)));
        }
        set.items().addAll(members(items));
    }

    private List<Object> members(List<Object> items) {
        var members = values(items);
        for (var member : members) {
            Hashable.require(member, "set member", in);
        }
        return members;
    }

    /** A tuple, or an {@link ArgTuple} when it holds something that is not a value (only REDUCE/BUILD may use it). */
    private Object tuple(List<Object> items) {
        Intermediate culprit = null;
        for (int i = 0; i < items.size(); i++) {
            Object item = items.get(i);
            if (item instanceof ArrayBuilder builder && builder.array() != null) {
                items.set(i, builder.array());
            } else if (culprit == null && item instanceof Intermediate intermediate) {
                culprit = intermediate instanceof ArgTuple args ? args.culprit() : intermediate;
            }
        }
        return culprit == null ? new PyTuple(items) : new ArgTuple(items, culprit);
    }

    private ArrayList<Object> values(List<Object> items) {
        var out = new ArrayList<>(items.size());
        for (var item : items) {
            out.add(value(item));
        }
        return out;
    }

    /** The item as a value the caller may see: a finished numpy array in place of its builder, else itself. */
    private Object value(Object item) {
        if (item instanceof ArrayBuilder builder && builder.array() != null) {
            return builder.array();
        }
        if (item instanceof Intermediate intermediate) {
            throw intermediate.notAValue(in);
        }
        return item;
    }

    private void stackGlobal() {
        Object name = stack.pop(in);
        Object module = stack.pop(in);
        if (!(module instanceof String m) || !(name instanceof String n)) {
            throw in.corrupt("STACK_GLOBAL needs a module name and a name (two str)");
        }
        stack.push(global(m, n));
    }

    private PyGlobal global(String module, String name) {
        var global = PyGlobal.lookup(module, name);
        if (global == null) {
            String qualified = PyGlobal.python3Name(module, name);
            throw in.unsupported(
                    qualified,
                    "the pickle needs the Python global " + qualified
                            + ", which is not one of the plain data types the JVM reader understands (None, bool, int,"
                            + " float, str, bytes, list, tuple, dict, set, numpy arrays and scalars)");
        }
        return global;
    }

    private void reduce() {
        Object args = stack.pop(in);
        Object callable = stack.pop(in);
        stack.push(Calls.reduce(callable, args, in));
    }

    private void build() {
        Object state = stack.pop(in);
        Calls.build(stack.peek(in), state, in);
    }

    private void newObject(Object kwargs) {
        Object args = stack.pop(in);
        Object cls = stack.pop(in);
        stack.push(Calls.newObject(cls, args, kwargs, in));
    }

    private String utf8Line() {
        byte[] line = in.line();
        try {
            return Utf8.decode(line, 0, line.length);
        } catch (IllegalArgumentException e) {
            throw in.corrupt("invalid UTF-8 in a global name: " + e.getMessage());
        }
    }

    private static String latin1(byte[] bytes) {
        return new String(bytes, StandardCharsets.ISO_8859_1);
    }
}
