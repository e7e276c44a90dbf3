/**
 * The Open Inference Protocol (KServe v2) REST JSON for ONNX models: requests in, responses and model metadata out.
 *
 * <p>See https://kserve.github.io/website/docs/concepts/architecture/data-plane/v2-protocol for the protocol.
 */
package io.flowhost.onnx.v2;
