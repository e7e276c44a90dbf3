package io.flowhost.onnx;

import java.lang.reflect.Array;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Several inference requests as one: their tensors stacked along dimension 0 (the batch dimension), and the
 * outputs of the stacked run split back into one set per request. Requests stack when they name the same inputs,
 * with the same datatypes and the same shapes past dimension 0 ({@link #key}).
 */
public final class TensorBatch {

    private TensorBatch() {}

    /**
     * What requests must share to be stacked: each input's name, datatype and shape past dimension 0, and the
     * outputs asked for. Requests with equal keys stack.
     */
    public static String key(Map<String, Tensor> inputs, List<String> outputs) {
        var key = new StringBuilder();
        for (var e : inputs.entrySet()) {
            var t = e.getValue();
            var shape = t.shape();
            key.append(e.getKey()).append(':').append(t.datatype()).append(':');
            key.append(shape.length == 0 ? "scalar" : Arrays.toString(Arrays.copyOfRange(shape, 1, shape.length)));
            key.append(';');
        }
        return key.append("->").append(outputs).toString();
    }

    /** The rows (dimension 0) of a request: the same for every input, or -1 when they differ or one is a scalar. */
    public static long rows(Map<String, Tensor> inputs) {
        long rows = -1;
        for (var t : inputs.values()) {
            var shape = t.shape();
            if (shape.length == 0 || (rows >= 0 && shape[0] != rows)) {
                return -1;
            }
            rows = shape[0];
        }
        return rows;
    }

    /** The requests' inputs stacked along dimension 0, in their order; they must share a {@link #key}. */
    public static Map<String, Tensor> stack(List<Map<String, Tensor>> requests) {
        var first = requests.getFirst();
        var stacked = new LinkedHashMap<String, Tensor>();
        for (var name : first.keySet()) {
            var parts = new ArrayList<Tensor>(requests.size());
            for (var request : requests) {
                parts.add(request.get(name));
            }
            stacked.put(name, concat(name, parts));
        }
        return stacked;
    }

    /**
     * The outputs of a stacked run split back by the rows each request brought.
     *
     * @throws TensorMismatchException when an output's dimension 0 is not the total of the rows (the model does not
     *     keep one output row per input row, so its outputs cannot be told apart)
     */
    public static List<Map<String, Tensor>> split(Map<String, Tensor> outputs, long[] rows) {
        long total = Arrays.stream(rows).sum();
        var out = new ArrayList<Map<String, Tensor>>(rows.length);
        for (int i = 0; i < rows.length; i++) {
            out.add(new LinkedHashMap<>());
        }
        for (var e : outputs.entrySet()) {
            var t = e.getValue();
            var shape = t.shape();
            if (shape.length == 0 || shape[0] != total) {
                throw new TensorMismatchException("output '" + e.getKey() + "' has shape " + Shapes.format(shape)
                        + " for " + total + " stacked rows: a batched model must answer one row per input row");
            }
            int perRow = total == 0 ? 0 : (int) (t.size() / total);
            int from = 0;
            for (int i = 0; i < rows.length; i++) {
                int count = (int) rows[i] * perRow;
                var partShape = shape.clone();
                partShape[0] = rows[i];
                var data = Array.newInstance(t.data().getClass().getComponentType(), count);
                System.arraycopy(t.data(), from, data, 0, count);
                out.get(i).put(e.getKey(), new Tensor(t.name(), t.datatype(), partShape, data));
                from += count;
            }
        }
        return out;
    }

    private static Tensor concat(String name, List<Tensor> parts) {
        var firstShape = parts.getFirst().shape();
        long rows = 0;
        int values = 0;
        for (var p : parts) {
            rows += p.shape()[0];
            values += p.size();
        }
        var data = Array.newInstance(parts.getFirst().data().getClass().getComponentType(), values);
        int at = 0;
        for (var p : parts) {
            System.arraycopy(p.data(), 0, data, at, p.size());
            at += p.size();
        }
        var shape = firstShape.clone();
        shape[0] = rows;
        return new Tensor(name, parts.getFirst().datatype(), shape, data);
    }
}
