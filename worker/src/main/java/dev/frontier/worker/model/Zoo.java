package dev.frontier.worker.model;

import java.util.List;
import java.util.Locale;

/** Reference networks for 28x28 single-channel input (Fashion-MNIST), freshly initialised. */
public final class Zoo {
    public static final List<String> ARCHITECTURES = List.of("lenet5", "vgg", "resnet", "mobilenet");

    private Zoo() {
    }

    public static Graph create(String arch, long seed, int classes) {
        return switch (arch.toLowerCase(Locale.ROOT)) {
            case "lenet5", "lenet" -> lenet5(seed, classes);
            case "vgg" -> vgg(seed, classes);
            case "resnet" -> resnet(seed, classes);
            case "mobilenet" -> mobilenet(seed, classes);
            default -> throw new IllegalArgumentException("unknown architecture '" + arch + "'; known: " + ARCHITECTURES);
        };
    }

    /** LeNet-5 shape with ReLU and max pooling. */
    public static Graph lenet5(long seed, int classes) {
        return new NetworkBuilder(seed, 1, 28, 28).metadata("arch", "lenet5")
                .conv("conv1", 6, 5, 1, 2).relu("relu1").maxPool("pool1", 2, 2)
                .conv("conv2", 16, 5, 1, 0).relu("relu2").maxPool("pool2", 2, 2)
                .flatten("flatten").linear("fc1", 120).relu("relu3")
                .linear("fc2", 84).relu("relu4").linear("fc3", classes)
                .build();
    }

    /**
     * The demo model: VGG-style stacks of 3x3 convolutions with batch norm. Most of its work is in
     * 3x3 convs, which is where pattern and connectivity pruning pay.
     */
    public static Graph vgg(long seed, int classes) {
        NetworkBuilder b = new NetworkBuilder(seed, 1, 28, 28).metadata("arch", "vgg");
        convBnRelu(b, "1", 32);
        convBnRelu(b, "2", 32);
        b.maxPool("pool1", 2, 2);
        convBnRelu(b, "3", 64);
        convBnRelu(b, "4", 64);
        b.maxPool("pool2", 2, 2);
        convBnRelu(b, "5", 128);
        b.maxPool("pool3", 2, 2);
        return b.flatten("flatten").linear("fc1", 256).relu("relu_fc1").linear("fc2", classes).build();
    }

    /** A small ResNet: residual blocks with identity and 1x1 projection shortcuts. */
    public static Graph resnet(long seed, int classes) {
        NetworkBuilder b = new NetworkBuilder(seed, 1, 28, 28).metadata("arch", "resnet");
        convBnRelu(b, "0", 16);
        residualBlock(b, "block1", 16, 1);
        residualBlock(b, "block2", 32, 2);
        residualBlock(b, "block3", 64, 2);
        return b.globalAvgPool("gap").linear("fc", classes).build();
    }

    /** MobileNet-style depthwise-separable blocks. */
    public static Graph mobilenet(long seed, int classes) {
        NetworkBuilder b = new NetworkBuilder(seed, 1, 28, 28).metadata("arch", "mobilenet");
        b.conv("conv0", 16, 3, 1, 1).batchNorm("bn0").relu6("relu0");
        separable(b, "1", 32, 1);
        separable(b, "2", 64, 2);
        separable(b, "3", 64, 1);
        separable(b, "4", 128, 2);
        return b.globalAvgPool("gap").linear("fc", classes).build();
    }

    private static void convBnRelu(NetworkBuilder b, String id, int out) {
        b.conv("conv" + id, out, 3, 1, 1).batchNorm("bn" + id).relu("relu" + id);
    }

    private static void residualBlock(NetworkBuilder b, String name, int out, int stride) {
        String in = b.current();
        boolean project = stride != 1 || b.currentShape().c() != out;
        b.conv(name + ".conv1", out, 3, stride, 1).batchNorm(name + ".bn1").relu(name + ".relu1")
                .conv(name + ".conv2", out, 3, 1, 1).batchNorm(name + ".bn2");
        String main = b.current();
        String shortcut = in;
        if (project) {
            b.from(in).conv(name + ".proj", out, 1, stride, 0).batchNorm(name + ".proj_bn");
            shortcut = b.current();
        }
        b.from(main).add(name + ".add", shortcut).relu(name + ".relu2");
    }

    private static void separable(NetworkBuilder b, String id, int out, int stride) {
        b.depthwise("dw" + id, 3, stride, 1).batchNorm("dw" + id + "_bn").relu6("dw" + id + "_relu")
                .conv("pw" + id, out, 1, 1, 0).batchNorm("pw" + id + "_bn").relu6("pw" + id + "_relu");
    }
}
