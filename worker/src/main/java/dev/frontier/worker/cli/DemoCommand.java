package dev.frontier.worker.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;

import dev.frontier.worker.agent.CoordinatorClient;
import dev.frontier.worker.demo.DemoDriver;

/** {@code demo}: the client half of {@code ./frontier demo} (the script starts the processes). */
public final class DemoCommand implements Command {
    static final String SHIPPED_MODEL = "/models/vgg-fmnist.frir";

    @Override
    public String help() {
        return """
                usage: frontier-worker demo --coordinator URL [--token T] [--device NAME] [--model FILE]
                                            [--target-fraction 0.4] [--max-drop 1.0] [--max-trials 40]
                                            [--max-seconds 360] [--fidelity-min 0.1] [--fidelity-max 0.3]
                                            [--fidelity-final 2.0] [--polish-top 1] [--strategy surrogate] [--seed 1]
                                            [--runtimes LIST]

                Uploads the model (default: the shipped VGG-style Fashion-MNIST baseline), measures the
                dense baseline on the device, submits a search whose latency target is the given fraction
                of that baseline, shows progress and prints the frontier table. New configurations are
                fine-tuned --fidelity-min epochs, the best third promoted to --fidelity-max (continuing
                from their own weights); when the search stops, the --polish-top best points near the
                target are fine-tuned on to --fidelity-final epochs with distillation and measured again.
                --runtimes (e.g. frontier-native,onnxruntime): the runtimes every build is measured with,
                the first steering the search (default: all the device offers, frontier-native first).
                """;
    }

    @Override
    public int run(Args args) {
        String url = args.string("coordinator", System.getenv("FRONTIER_URL"));
        if (url == null) {
            throw new UsageException("missing --coordinator URL");
        }
        String token = args.string("token", System.getenv("FRONTIER_TOKEN"));
        byte[] model = args.has("model") ? read(args.existingFile("model")) : shippedModel();
        DemoDriver.Settings s = new DemoDriver.Settings(args.string("device", hostName()), "vgg-fmnist-demo", model,
                "fashion-mnist", args.number("target-fraction", 0.4), args.number("max-drop", 1.0),
                args.integer("max-trials", 40), args.integer("max-seconds", 360), args.number("fidelity-min", 0.1),
                args.number("fidelity-max", 0.3), args.number("fidelity-final", 2.0), args.integer("polish-top", 1),
                args.string("strategy", "surrogate"), args.integer("seed", 1),
                args.string("runtimes", "").isBlank() ? java.util.List.of()
                        : java.util.Arrays.stream(args.string("runtimes", "").split(",")).map(String::strip).toList());
        args.rejectUnknown();
        if (s.targetFraction() <= 0 || s.targetFraction() > 1) {
            throw new UsageException("--target-fraction must be in (0, 1]");
        }
        new DemoDriver(new CoordinatorClient(url, token), System.out).run(s);
        String base = url.endsWith("/") ? url : url + "/";
        System.out.println();
        System.out.println("dashboard: " + base);
        System.out.println("API:       " + base + "api/v1/jobs   (Swagger UI: " + base + "swagger-ui.html)");
        return 0;
    }

    static String hostName() {
        try {
            return java.net.InetAddress.getLocalHost().getHostName();
        } catch (IOException e) {
            return "localhost";
        }
    }

    private static byte[] read(java.nio.file.Path p) {
        try {
            return Files.readAllBytes(p);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static byte[] shippedModel() {
        try (InputStream in = DemoCommand.class.getResourceAsStream(SHIPPED_MODEL)) {
            if (in == null) {
                throw new UsageException("the demo baseline " + SHIPPED_MODEL + " is not in this build; pass --model FILE");
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
