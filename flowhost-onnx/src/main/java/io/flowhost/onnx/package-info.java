/**
 * ONNX models on ONNX Runtime: load a model, describe its tensors, and run batch inference on flat row-major tensors.
 *
 * <p>{@link io.flowhost.onnx.OnnxModel} is the entry point; {@link io.flowhost.onnx.Tensor} is the value that goes in
 * and comes out; the {@code v2} subpackage reads and writes these tensors as Open Inference Protocol (KServe v2) JSON.
 */
package io.flowhost.onnx;
