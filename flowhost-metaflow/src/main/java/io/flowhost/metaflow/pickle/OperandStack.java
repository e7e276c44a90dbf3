package io.flowhost.metaflow.pickle;

import java.util.ArrayList;
import java.util.Arrays;

/**
 * The unpickler's stack and its MARK positions. As in CPython, opcodes may only pop what was pushed since the
 * innermost open MARK, so a crafted pickle cannot reach into an enclosing frame.
 */
final class OperandStack {

    private final ArrayList<Object> items = new ArrayList<>();
    private int[] marks = new int[16];
    private int markCount;

    void push(Object value) {
        items.add(value);
    }

    Object pop(PickleInput in) {
        requireAboveMark(1, in);
        return items.remove(items.size() - 1);
    }

    Object peek(PickleInput in) {
        requireAboveMark(1, in);
        return items.get(items.size() - 1);
    }

    /** Number of items pushed since the innermost open MARK (the whole stack when none is open). */
    int sizeAboveMark() {
        return items.size() - (markCount == 0 ? 0 : marks[markCount - 1]);
    }

    void mark() {
        if (markCount == marks.length) {
            marks = Arrays.copyOf(marks, marks.length * 2);
        }
        marks[markCount++] = items.size();
    }

    /** Removes and returns everything pushed since the innermost MARK, and closes that MARK. */
    ArrayList<Object> popToMark(PickleInput in) {
        if (markCount == 0) {
            throw in.corrupt(Opcodes.name(in.opcode()) + " without a preceding MARK");
        }
        int start = marks[--markCount];
        var view = items.subList(start, items.size());
        var taken = new ArrayList<>(view);
        view.clear();
        return taken;
    }

    private void requireAboveMark(int count, PickleInput in) {
        if (sizeAboveMark() < count) {
            throw in.corrupt("stack underflow: " + Opcodes.name(in.opcode()) + " needs " + count + " item(s), "
                    + sizeAboveMark() + " available" + (markCount > 0 ? " above the MARK" : ""));
        }
    }
}
