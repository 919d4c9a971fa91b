package dev.frontier.worker.cli;

import dev.frontier.worker.data.DataSplits;
import dev.frontier.worker.data.DatasetException;
import dev.frontier.worker.data.Datasets;
import dev.frontier.worker.model.Graph;
import dev.frontier.worker.model.ModelFile;
import dev.frontier.worker.model.Zoo;
import dev.frontier.worker.train.DjlEngine;
import dev.frontier.worker.train.Evaluator;
import dev.frontier.worker.train.TrainConfig;
import dev.frontier.worker.train.Trainer;
import dev.frontier.worker.train.TrainingListener;

import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

import tools.jackson.databind.json.JsonMapper;

/** {@code train}: baseline training of a zoo model; writes a .frir model file. */
public final class TrainCommand implements Command {

    @Override
    public String help() {
        return """
                usage: frontier-worker train --arch NAME --epochs N --out FILE [--dataset fashion-mnist]
                                             [--seed 0] [--batch 128] [--lr 0.001] [--optimizer adam|sgd]
                                             [--momentum 0.9] [--weight-decay 0] [--schedule cosine|step|constant]
                                             [--warmup STEPS] [--augment true|false] [--train-subset N] [--eval-subset N]
                                             [--threads N] [--json]

                Trains a freshly initialised zoo model (%s) with DJL/PyTorch on the dataset's training
                split (Fashion-MNIST: the first 55000 training images; the last 5000 are validation),
                then reports validation and test top-1 accuracy and writes the model file.
                --epochs may be fractional (0.5 = half an epoch). --augment (default true) adds random
                horizontal flips and shifts of up to 2 pixels. --train-subset trains on the first N images
                (quick runs); --eval-subset evaluates on the first N validation and test images. --threads sets PyTorch's intra-op threads (default: all processors).
                --json prints one JSON object as the last line: arch, dataset, epochs, seed, trainSeconds,
                validationAccuracy, testAccuracy, params, out.
                Datasets: 'fashion-mnist' (Debian package dataset-fashion-mnist, under the directory set
                by -Dfrontier.datasets.dir or FRONTIER_DATASETS_DIR, default /usr/share/datasets),
                'idx:/dir/or/prefix', 'folder:/path/to/class-folders'.
                """.formatted(String.join(", ", Zoo.ARCHITECTURES));
    }

    @Override
    public int run(Args args) {
        String arch = args.string("arch");
        if (!Zoo.ARCHITECTURES.contains(arch.toLowerCase(Locale.ROOT)) && !arch.equalsIgnoreCase("lenet")) {
            throw new UsageException("unknown --arch '" + arch + "'; known: " + Zoo.ARCHITECTURES);
        }
        String datasetName = args.string("dataset", Datasets.FASHION_MNIST);
        double epochs = args.number("epochs", Double.NaN);
        if (Double.isNaN(epochs)) {
            throw new UsageException("missing required option --epochs");
        }
        Path out = args.path("out");
        long seed = args.integer("seed", 0);
        TrainConfig defaults = TrainConfig.baseline(Math.max(epochs, 0));
        int batch = args.integer("batch", defaults.batchSize());
        String optimizer = args.string("optimizer", "adam");
        double lr = args.number("lr", Double.NaN);
        double momentum = args.number("momentum", 0.9);
        double weightDecay = args.number("weight-decay", 0);
        String schedule = args.string("schedule", "cosine");
        int warmup = args.integer("warmup", 0);
        String augment = args.string("augment", "true");
        int subset = args.integer("train-subset", Integer.MAX_VALUE);
        int evalSubset = args.integer("eval-subset", Integer.MAX_VALUE);
        int threads = args.integer("threads", 0);
        boolean json = args.flag("json");
        args.rejectUnknown();

        if (!(epochs >= 0) || Double.isInfinite(epochs)) {
            throw new UsageException("--epochs must be a number >= 0, got " + epochs);
        }
        if (batch < 2) {
            throw new UsageException("--batch must be >= 2, got " + batch);
        }
        if (subset < 2) {
            throw new UsageException("--train-subset must be >= 2, got " + subset);
        }
        if (evalSubset < 1) {
            throw new UsageException("--eval-subset must be >= 1, got " + evalSubset);
        }
        if (threads < 0) {
            throw new UsageException("--threads must be >= 1");
        }
        if (!augment.equals("true") && !augment.equals("false")) {
            throw new UsageException("--augment must be true or false, got '" + augment + "'");
        }
        TrainConfig.Optimizer opt;
        TrainConfig.Schedule sched;
        try {
            opt = TrainConfig.Optimizer.valueOf(optimizer.toUpperCase(Locale.ROOT));
            sched = TrainConfig.Schedule.parse(schedule);
        } catch (IllegalArgumentException e) {
            throw new UsageException("--optimizer must be adam or sgd and --schedule cosine, step or constant");
        }
        if (Double.isNaN(lr)) {
            lr = opt == TrainConfig.Optimizer.SGD ? 0.05 : defaults.learningRate();
        }
        TrainConfig cfg;
        try {
            cfg = new TrainConfig(epochs, batch, opt, (float) lr, (float) momentum, (float) weightDecay, sched, warmup,
                    augment.equals("true"), seed, 50);
        } catch (IllegalArgumentException e) {
            throw new UsageException(e.getMessage());
        }
        Path parent = out.toAbsolutePath().getParent();
        if (parent == null || !Files.isDirectory(parent)) {
            throw new UsageException("--out: directory " + parent + " does not exist");
        }
        if (threads > 0) {
            System.setProperty("ai.djl.pytorch.num_threads", Integer.toString(threads));
        }

        PrintStream log = System.out;
        DataSplits data;
        try {
            data = Datasets.resolve(datasetName);
        } catch (DatasetException e) {
            throw new UsageException(e.getMessage(), e);
        }
        Graph g = Zoo.create(arch, seed, data.train().classes());
        var train = data.train().subset(subset);
        DjlEngine.get();
        log.printf(Locale.ROOT, "training %s (%d params, %.1f M MACs) on %s: %d images, %s epochs, batch %d, %s lr %s, "
                        + "%s schedule, augment %s, seed %d, %d threads%n",
                arch, g.paramCount(), g.totalMacs() / 1e6, datasetName, train.size(), fmt(epochs), batch,
                opt.name().toLowerCase(Locale.ROOT), fmt(lr), sched.name().toLowerCase(Locale.ROOT), augment, seed,
                DjlEngine.threads());
        long t0 = System.nanoTime();
        Graph trained = Trainer.train(g, train, cfg, TrainingListener.printing(log));
        double trainSeconds = (System.nanoTime() - t0) / 1e9;
        trained = trained.toBuilder().metadata("train.seed", Long.toString(seed))
                .metadata("train.command", "train " + String.join(" ", commandLine(arch, datasetName, epochs, seed,
                        batch, opt, lr, sched, augment))).build();

        long e0 = System.nanoTime();
        var validation = data.validation().subset(evalSubset);
        double val = validation.size() > 0 ? Evaluator.accuracy(trained, validation) : Double.NaN;
        double test = Evaluator.accuracy(trained, data.test().subset(evalSubset));
        double evalSeconds = (System.nanoTime() - e0) / 1e9;
        trained = trained.toBuilder().metadata("accuracy.test", fmt(test)).build();
        ModelFile.write(trained, out);
        log.printf(Locale.ROOT, "trained in %.1f s (%.1f s/epoch); validation %.2f%%, test %.2f%% (eval %.1f s); wrote %s%n",
                trainSeconds, epochs > 0 ? trainSeconds / epochs : 0, val, test, evalSeconds, out);
        if (json) {
            Map<String, Object> r = new LinkedHashMap<>();
            r.put("arch", arch);
            r.put("dataset", datasetName);
            r.put("epochs", epochs);
            r.put("seed", seed);
            r.put("trainSeconds", round(trainSeconds));
            r.put("validationAccuracy", Double.isNaN(val) ? null : round(val));
            r.put("testAccuracy", round(test));
            r.put("params", trained.paramCount());
            r.put("out", out.toString());
            log.println(JsonMapper.builder().build().writeValueAsString(r));
        }
        log.flush();
        return 0;
    }

    private static String[] commandLine(String arch, String dataset, double epochs, long seed, int batch,
                                        TrainConfig.Optimizer opt, double lr, TrainConfig.Schedule sched, String augment) {
        return new String[] {"--arch", arch, "--dataset", dataset, "--epochs", fmt(epochs), "--seed", Long.toString(seed),
                "--batch", Integer.toString(batch), "--optimizer", opt.name().toLowerCase(Locale.ROOT), "--lr", fmt(lr),
                "--schedule", sched.name().toLowerCase(Locale.ROOT), "--augment", augment};
    }

    private static String fmt(double v) {
        return String.format(Locale.ROOT, "%.6g", v).replaceAll("\\.?0+$", "");
    }

    private static double round(double v) {
        return Math.round(v * 100) / 100.0;
    }
}
