package dev.frontier.worker.measure;

import dev.frontier.worker.compile.Executor;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * The latency protocol: warm-up runs discarded (at least {@code warmupRuns} and {@code warmupMs}, since
 * C2 needs a few hundred calls before Vector API code is fast), then {@code repeat} samples, each the
 * mean of {@code number} runs, {@code number} doubled until one sample lasts >= {@code minRepeatMs}.
 * Reports median, p10/p90, stdev. Per-layer times come from a second series of samples with the
 * executor's timing hooks on (so the hooks do not disturb the headline number).
 */
public final class LatencyProtocol {
    public record Options(int warmupRuns, double warmupMs, int repeat, double minRepeatMs) {
        public Options {
            if (repeat < 1 || minRepeatMs < 0 || warmupRuns < 0) {
                throw new IllegalArgumentException("repeat must be >= 1 and times >= 0");
            }
        }

        public static Options defaults() {
            return new Options(300, 1000, 30, 20);
        }

        public static Options quick() {
            return new Options(50, 50, 5, 2);
        }
    }

    private LatencyProtocol() {
    }

    /** Times any batch-1 inference (e.g. the PyTorch baseline); no per-layer times. */
    public static LatencyResult measure(Runnable inference, int threads, Options o) {
        warmUp(inference, o);
        int number = calibrate(inference, o);
        double[] samples = new double[o.repeat()];
        for (int s = 0; s < samples.length; s++) {
            long t0 = System.nanoTime();
            for (int k = 0; k < number; k++) {
                inference.run();
            }
            samples[s] = (System.nanoTime() - t0) / 1e6 / number;
        }
        return result(samples, number, threads, Map.of());
    }

    /** Times a compiled model: headline samples, then per-layer samples with the timing hooks on. */
    public static LatencyResult measure(Executor ex, Options o) {
        float[] in = new float[ex.inputSize()];
        Random r = new Random(7);
        for (int i = 0; i < in.length; i++) {
            in[i] = (float) r.nextGaussian();
        }
        float[] out = new float[ex.outputSize()];
        Runnable run = () -> ex.run(in, out);
        warmUp(run, o);
        int number = calibrate(run, o);
        double[] samples = new double[o.repeat()];
        for (int s = 0; s < samples.length; s++) {
            long t0 = System.nanoTime();
            for (int k = 0; k < number; k++) {
                ex.run(in, out);
            }
            samples[s] = (System.nanoTime() - t0) / 1e6 / number;
        }
        List<String> names = ex.stepNames();
        double[][] perStep = new double[names.size()][o.repeat()];
        long[] nanos = new long[names.size()];
        for (int s = 0; s < o.repeat(); s++) {
            Arrays.fill(nanos, 0);
            for (int k = 0; k < number; k++) {
                ex.run(in, out, nanos);
            }
            for (int i = 0; i < nanos.length; i++) {
                perStep[i][s] = nanos[i] / 1e6 / number;
            }
        }
        Map<String, Double> perLayer = new LinkedHashMap<>();
        for (int i = 0; i < names.size(); i++) {
            perLayer.merge(names.get(i), percentile(perStep[i], 50), Double::sum);
        }
        return result(samples, number, ex.threads(), perLayer);
    }

    private static void warmUp(Runnable run, Options o) {
        long start = System.nanoTime();
        for (int k = 0; k < o.warmupRuns() || (System.nanoTime() - start) / 1e6 < o.warmupMs(); k++) {
            run.run();
        }
    }

    private static int calibrate(Runnable run, Options o) {
        int number = 1;
        while (number < (1 << 20)) {
            long t0 = System.nanoTime();
            for (int k = 0; k < number; k++) {
                run.run();
            }
            if ((System.nanoTime() - t0) / 1e6 >= o.minRepeatMs()) {
                break;
            }
            number *= 2;
        }
        return number;
    }

    static LatencyResult result(double[] samples, int number, int threads, Map<String, Double> perLayer) {
        double mean = Arrays.stream(samples).average().orElse(0);
        double var = Arrays.stream(samples).map(x -> (x - mean) * (x - mean)).sum() / Math.max(1, samples.length - 1);
        return new LatencyResult(percentile(samples, 50), percentile(samples, 10), percentile(samples, 90),
                Math.sqrt(var), samples.length, number, threads, perLayer, false);
    }

    /** Linear-interpolated percentile of a copy of {@code v}. */
    public static double percentile(double[] v, double p) {
        double[] s = v.clone();
        Arrays.sort(s);
        if (s.length == 1) {
            return s[0];
        }
        double pos = p / 100.0 * (s.length - 1);
        int lo = (int) Math.floor(pos);
        int hi = Math.min(s.length - 1, lo + 1);
        return s[lo] + (s[hi] - s[lo]) * (pos - lo);
    }
}
