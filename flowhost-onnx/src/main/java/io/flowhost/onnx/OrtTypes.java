package io.flowhost.onnx;

import ai.onnxruntime.TensorInfo.OnnxTensorType;
import java.util.Optional;

/** Maps ONNX element types to Open Inference Protocol datatypes. */
final class OrtTypes {
    private OrtTypes() {}

    /** Returns the protocol datatype of an ONNX element type, or empty for types the protocol has no name for. */
    static Optional<Datatype> datatypeOf(OnnxTensorType type) {
        return Optional.ofNullable(
                switch (type) {
                    case ONNX_TENSOR_ELEMENT_DATA_TYPE_BOOL -> Datatype.BOOL;
                    case ONNX_TENSOR_ELEMENT_DATA_TYPE_UINT8 -> Datatype.UINT8;
                    case ONNX_TENSOR_ELEMENT_DATA_TYPE_UINT16 -> Datatype.UINT16;
                    case ONNX_TENSOR_ELEMENT_DATA_TYPE_UINT32 -> Datatype.UINT32;
                    case ONNX_TENSOR_ELEMENT_DATA_TYPE_UINT64 -> Datatype.UINT64;
                    case ONNX_TENSOR_ELEMENT_DATA_TYPE_INT8 -> Datatype.INT8;
                    case ONNX_TENSOR_ELEMENT_DATA_TYPE_INT16 -> Datatype.INT16;
                    case ONNX_TENSOR_ELEMENT_DATA_TYPE_INT32 -> Datatype.INT32;
                    case ONNX_TENSOR_ELEMENT_DATA_TYPE_INT64 -> Datatype.INT64;
                    case ONNX_TENSOR_ELEMENT_DATA_TYPE_FLOAT16 -> Datatype.FP16;
                    case ONNX_TENSOR_ELEMENT_DATA_TYPE_FLOAT -> Datatype.FP32;
                    case ONNX_TENSOR_ELEMENT_DATA_TYPE_DOUBLE -> Datatype.FP64;
                    case ONNX_TENSOR_ELEMENT_DATA_TYPE_STRING -> Datatype.BYTES;
                    // BFLOAT16, complex and 8-bit floats have no name in the protocol.
                    default -> null;
                });
    }
}
