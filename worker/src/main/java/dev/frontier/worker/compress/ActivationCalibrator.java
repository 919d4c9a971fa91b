package dev.frontier.worker.compress;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import dev.frontier.worker.data.Dataset;
import dev.frontier.worker.model.Graph;
import dev.frontier.worker.model.Node;
import dev.frontier.worker.model.ReferenceInterpreter;

/**
 * Int8 activation calibration: runs calibration images through the reference interpreter and records,
 * for every conv and linear layer, the range of its input activation, so the compiler's int8 path can
 * quantize activations with a fixed symmetric scale. Stored in the graph metadata:
 * {@code act_max.<layer>} (the range) and {@code act_scale.<layer>} (range / 127), plus
 * {@code act_calibration} describing how.
 *
 * <p>Range is either the largest |x| seen, or a percentile of |x| over all values of all images
 * (exact: the top tail is kept in a bounded heap), which ignores rare outliers.
 */
public final class ActivationCalibrator {
    public static final String MAX_KEY = "act_max.";
    public static final String SCALE_KEY = Graph.ACTIVATION_SCALE_KEY;
    public static final String INFO_KEY = "act_calibration";
    /** Training images calibrated on by default (the compress CLI and the agent's BUILD task). */
    public static final int DEFAULT_IMAGES = 256;

    private final double percentile;
    private final int threads;

    /** @param percentile 100 for max-abs, else e.g. 99.99 */
    public ActivationCalibrator(double percentile, int threads) {
        if (!(percentile > 50 && percentile <= 100)) {
            throw new IllegalArgumentException("calibration percentile must be in (50, 100], got " + percentile);
        }
        this.percentile = percentile;
        this.threads = Math.max(1, threads);
    }

    public static ActivationCalibrator maxAbs() {
        return new ActivationCalibrator(100, Runtime.getRuntime().availableProcessors());
    }

    /** Per-layer input ranges over the images (each laid out C x H x W), without changing the graph. */
    public Map<String, Float> ranges(Graph g, List<float[]> images) {
        if (images.isEmpty()) {
            throw new IllegalArgumentException("calibration needs at least one image");
        }
        List<Node> layers = g.weightedNodes();
        Map<String, Tail> tails = new LinkedHashMap<>();
        for (Node n : layers) {
            long total = (long) g.shape(n.inputs().get(0)).size() * images.size();
            tails.put(n.name(), new Tail(percentile >= 100 ? 1 : (int) Math.min(Integer.MAX_VALUE - 8,
                    Math.ceil(total * (100 - percentile) / 100.0) + 1)));
        }
        ReferenceInterpreter interp = new ReferenceInterpreter(g);
        ExecutorService pool = Executors.newFixedThreadPool(threads, r -> {
            Thread t = new Thread(r, "calibration");
            t.setDaemon(true);
            return t;
        });
        try {
            List<Future<?>> futures = new ArrayList<>();
            for (float[] img : images) {
                futures.add(pool.submit(() -> {
                    Map<String, float[]> acts = interp.forwardAll(img);
                    for (Node n : layers) {
                        Tail t = tails.get(n.name());
                        float[] a = acts.get(n.inputs().get(0));
                        synchronized (t) {
                            t.offer(a);
                        }
                    }
                }));
            }
            for (Future<?> f : futures) {
                f.get();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("calibration interrupted", e);
        } catch (java.util.concurrent.ExecutionException e) {
            throw new IllegalStateException("calibration failed: " + e.getCause().getMessage(), e.getCause());
        } finally {
            pool.shutdownNow();
        }
        Map<String, Float> out = new LinkedHashMap<>();
        tails.forEach((k, t) -> out.put(k, t.threshold()));
        return out;
    }

    /**
     * The calibration images: the first {@code n} (at most the split's size) of the training split in
     * the order fixed by {@code seed}, so the same model, split and seed always get the same scales.
     */
    public static List<float[]> slice(Dataset train, int n, long seed) {
        int[] order = Dataset.permutation(train.size(), seed);
        List<float[]> images = new ArrayList<>();
        for (int i = 0; i < Math.min(n, train.size()); i++) {
            images.add(train.image(order[i]));
        }
        return images;
    }

    /** The graph calibrated on {@link #slice(Dataset, int, long)} of the training split. */
    public Graph calibrate(Graph g, Dataset train, int n, long seed) {
        return calibrate(g, slice(train, n, seed));
    }

    /** The graph with the ranges recorded in its metadata. */
    public Graph calibrate(Graph g, List<float[]> images) {
        Graph.Builder b = g.toBuilder();
        for (Map.Entry<String, Float> e : ranges(g, images).entrySet()) {
            float range = e.getValue();
            float scale = range > 0 ? range / 127f : 1f;
            b.metadata(MAX_KEY + e.getKey(), Float.toString(range));
            b.metadata(SCALE_KEY + e.getKey(), Float.toString(scale));
        }
        b.metadata(INFO_KEY, String.format(Locale.ROOT, "%s over %d images",
                percentile >= 100 ? "max-abs" : "percentile " + percentile, images.size()));
        return b.build();
    }

    /** The {@code size} largest |x| seen; its smallest is the percentile (the max when size is 1). */
    private static final class Tail {
        private final int size;
        private final PriorityQueue<Float> heap = new PriorityQueue<>();
        private float max;

        Tail(int size) {
            this.size = size;
        }

        void offer(float[] a) {
            for (float v : a) {
                float x = Math.abs(v);
                max = Math.max(max, x);
                if (size == 1) {
                    continue;
                }
                if (heap.size() < size) {
                    heap.add(x);
                } else if (x > heap.peek()) {
                    heap.poll();
                    heap.add(x);
                }
            }
        }

        float threshold() {
            return size == 1 || heap.isEmpty() ? max : heap.peek();
        }
    }
}
