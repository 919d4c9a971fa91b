/**
 * ONNX in and out, and ONNX Runtime as a second peer.
 *
 * <ul>
 *   <li>{@link dev.frontier.worker.onnx.ModelFormats#load(byte[])}: FRIR (magic) or ONNX bytes -> Graph;
 *       failures are {@link dev.frontier.worker.model.InvalidModelException}s (CLI exit 2, INVALID_MODEL).
 *   <li>{@link dev.frontier.worker.onnx.OnnxModels}: read/write ONNX. Import maps Conv, Gemm, MatMul(+Add),
 *       BatchNormalization, Relu, Clip, MaxPool, AveragePool, GlobalAveragePool, Add, Flatten, Reshape,
 *       Softmax onto layers and folds Constant, DequantizeLinear (weights), Identity, Dropout and the
 *       Shape/Gather/Unsqueeze/Concat flatten idiom; {@link dev.frontier.worker.onnx.UnsupportedOnnxModelException}
 *       lists every node it cannot express. Export is opset 13 with int8 DequantizeLinear weights where
 *       exact (see {@link dev.frontier.worker.onnx.OnnxExporter}).
 *   <li>{@link dev.frontier.worker.onnx.OrtModel}, {@link dev.frontier.worker.onnx.OrtAccuracy},
 *       {@link dev.frontier.worker.onnx.OrtLatency}: the export under ONNX Runtime CPU.
 * </ul>
 * {@code onnx.proto} (src/main/proto) is the subset of the ONNX schema used here, written from the
 * specification's field numbers; protoc comes from Maven Central through the build.
 */
package dev.frontier.worker.onnx;
