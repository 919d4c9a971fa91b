package dev.frontier.coordinator.search;

import dev.frontier.coordinator.goal.Goal;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * Latency as the compiled model spends it: a sum over layers. For every device and every layer the
 * agent timed, a small ridge model predicts log(ms) from what can change that layer's kernel: its
 * own option (scheme and rate; a per-scheme log weight reduction lets one rate inform the others),
 * the model-wide bits and, per option, whether the weights are quantized (an int8 kernel is a
 * different kernel for each scheme), and how much filter pruning every other gene does (a pruned
 * producer shrinks its consumers' input). So each trial teaches every layer at once, where the
 * whole-model time gives one number per trial and has to learn each layer's effect through the
 * others' noise.
 *
 * The whole-model median is not the sum of the per-layer medians (they are medians of separate
 * samples, and there is work between layers), so each device's sum is scaled by the mean ratio
 * measured so far.
 */
final class LayerLatencyModel {
    /**
     * Ridge penalty = noise variance / prior variance of an effect. A layer's log time repeats to
     * ~0.1-0.2 between runs (the recorded tables' residuals: 0.2 on a loaded machine) while its
     * options move it by ~1 (2-10x), so 0.1; the whole-model models keep 1, as accuracy is noisier.
     */
    private static final double LAMBDA = 0.1;

    /** log(latency / target) on the device that predicts slowest, and its standard deviation. */
    record Prediction(double logRatio, double sd) {
    }

    private final Features features;
    private final List<DeviceModel> devices;
    private final double logTarget;

    private LayerLatencyModel(Features features, List<DeviceModel> devices, double logTarget) {
        this.features = features;
        this.devices = devices;
        this.logTarget = logTarget;
    }

    /**
     * The model, or null when some usable result lacks per-layer times on a device it was measured on
     * (an agent that does not report them): then the surrogate models whole-model latency instead.
     */
    static LayerLatencyModel fit(Encoding enc, List<TrialResult> usable, Goal goal) {
        if (usable.isEmpty()) return null;
        Set<UUID> deviceIds = new LinkedHashSet<>();
        for (TrialResult r : usable) {
            for (UUID d : r.latencyMs().keySet()) {
                Map<String, Double> layers = r.perLayerMs() == null ? null : r.perLayerMs().get(d);
                if (layers == null || layers.isEmpty()) return null;
                deviceIds.add(d);
            }
        }
        Features features = new Features(enc);
        List<DeviceModel> devices = new ArrayList<>();
        for (UUID d : deviceIds) devices.add(DeviceModel.fit(enc, features, usable, d));
        double target = Double.isInfinite(goal.latencyTargetMs()) ? 1 : goal.latencyTargetMs();
        return new LayerLatencyModel(features, devices, Math.log(target));
    }

    Prediction predict(int[] genome) {
        Prediction worst = null;
        for (DeviceModel d : devices) {
            Prediction p = d.predict(features, genome, logTarget);
            if (worst == null || p.logRatio() > worst.logRatio()) worst = p;
        }
        return worst;
    }

    /** One device: a ridge model per timed layer and the whole-model / layer-sum calibration. */
    private record DeviceModel(List<String> layers, List<Ridge> ridges, double logCalibration) {
        static DeviceModel fit(Encoding enc, Features features, List<TrialResult> usable, UUID device) {
            Map<String, List<double[]>> xs = new LinkedHashMap<>();
            Map<String, List<Double>> ys = new LinkedHashMap<>();
            double calibration = 0;
            int measured = 0;
            for (TrialResult r : usable) {
                Double total = r.latencyMs().get(device);
                Map<String, Double> layerMs = r.perLayerMs().get(device);
                if (total == null || layerMs == null) continue;
                int[] g = enc.decode(r.config());
                double sum = 0;
                for (Map.Entry<String, Double> e : layerMs.entrySet()) {
                    Double ms = e.getValue();
                    if (ms == null || !(ms > 0)) continue; // a layer too fast to time says nothing in log space
                    sum += ms;
                    xs.computeIfAbsent(e.getKey(), k -> new ArrayList<>()).add(features.of(e.getKey(), g));
                    ys.computeIfAbsent(e.getKey(), k -> new ArrayList<>()).add(Math.log(ms));
                }
                if (sum > 0 && total > 0) {
                    calibration += Math.log(total / sum);
                    measured++;
                }
            }
            List<String> layers = new ArrayList<>(xs.keySet());
            List<Ridge> ridges = new ArrayList<>();
            for (String layer : layers) {
                double[][] x = xs.get(layer).toArray(double[][]::new);
                double[][] y = {ys.get(layer).stream().mapToDouble(Double::doubleValue).toArray()};
                ridges.add(new Ridge(x, y, LAMBDA));
            }
            return new DeviceModel(layers, ridges, measured == 0 ? 0 : calibration / measured);
        }

        /**
         * The sum of the layers' predicted times, calibrated. Its sd treats the layers' errors as
         * independent, each weighted by the layer's share of the time (the delta method on the log sum).
         */
        Prediction predict(Features features, int[] genome, double logTarget) {
            double[] ms = new double[layers.size()];
            double[] sds = new double[layers.size()];
            double sum = 0;
            for (int i = 0; i < ms.length; i++) {
                double[] x = features.of(layers.get(i), genome);
                Ridge ridge = ridges.get(i);
                ms[i] = Math.exp(ridge.mean(0, x));
                sds[i] = ridge.sd(0, x);
                sum += ms[i];
            }
            double variance = 0;
            for (int i = 0; i < ms.length; i++) {
                double share = ms[i] / sum;
                variance += share * share * sds[i] * sds[i];
            }
            return new Prediction(Math.log(sum) + logCalibration - logTarget, Math.sqrt(variance));
        }
    }

    /**
     * What a layer's features are: intercept; the bits option; when the layer is a gene, its option,
     * its option when quantized, and per scheme an indicator and the log weight reduction; and every
     * other gene's filter-pruning log reduction.
     */
    static final class Features {
        private final Encoding enc;
        private final int layerGenes;
        private final int bitsGene;
        private final Map<String, Integer> geneOfLayer = new LinkedHashMap<>();
        /** Per gene and option: the index among that gene's schemes, or -1 for dense. */
        private final int[][] schemeOf;
        private final int[] schemeCount;

        Features(Encoding enc) {
            this.enc = enc;
            this.layerGenes = enc.genes() - 1;
            this.bitsGene = layerGenes;
            this.schemeOf = new int[layerGenes][];
            this.schemeCount = new int[layerGenes];
            for (int gene = 0; gene < layerGenes; gene++) {
                geneOfLayer.put(enc.layerName(gene), gene);
                schemeOf[gene] = enc.schemeIndices(gene);
                schemeCount[gene] = java.util.Arrays.stream(schemeOf[gene]).max().orElse(-1) + 1;
            }
        }

        double[] of(String layer, int[] genome) {
            Integer own = geneOfLayer.get(layer);
            int bitsOptions = enc.arity(bitsGene);
            int size = 1 + bitsOptions + layerGenes;
            if (own != null) size += 2 * enc.arity(own) + 2 * schemeCount[own];
            double[] x = new double[size];
            x[0] = 1;
            int at = 1;
            if (bitsOptions > 0) x[at + genome[bitsGene]] = 1;
            at += bitsOptions;
            for (int gene = 0; gene < layerGenes; gene++) {
                Encoding.Option o = enc.options(gene).get(genome[gene]);
                if (gene != (own == null ? -1 : own) && o.scheme().equals("filter")) x[at + gene] = Math.log(o.reduction());
            }
            at += layerGenes;
            if (own == null) return x;
            int option = genome[own];
            x[at + option] = 1;
            at += enc.arity(own);
            if (bitsOptions > 0 && enc.bits(genome[bitsGene]) != 0) x[at + option] = 1;
            at += enc.arity(own);
            int scheme = schemeOf[own][option];
            if (scheme >= 0) {
                x[at + 2 * scheme] = 1;
                x[at + 2 * scheme + 1] = Math.log(enc.options(own).get(option).reduction());
            }
            return x;
        }
    }
}
