package dev.frontier.worker.train;

import java.io.PrintStream;
import java.util.Locale;

/** Progress of a training run, for the CLI and for the agent that forwards it to the coordinator. */
public interface TrainingListener {

    /**
     * @param epoch           current epoch, 1-based
     * @param epochs          epochs of the run, rounded up (a 0.25-epoch run has 1)
     * @param batch           steps done in this epoch
     * @param batchesInEpoch  steps this epoch will run
     * @param step            steps done in the run
     * @param totalSteps      steps of the whole run
     * @param loss            mean training loss since the epoch started
     * @param accuracy        training top-1 accuracy (percent) since the epoch started
     * @param imagesPerSecond training throughput since the run started
     * @param learningRate    learning rate of the last step
     */
    record Progress(int epoch, int epochs, int batch, int batchesInEpoch, long step, long totalSteps, double loss,
                    double accuracy, double imagesPerSecond, float learningRate) {
        public double fraction() {
            return totalSteps == 0 ? 1 : (double) step / totalSteps;
        }
    }

    /** Called every {@link TrainConfig#logEvery()} steps and at the end of every epoch. */
    default void onProgress(Progress p) {
    }

    /** Called when an epoch ends (also a partial last one), with its summary. */
    default void onEpochEnd(Progress p, double seconds) {
    }

    /** Polled before every step; returning true stops training (e.g. the lease was lost). */
    default boolean stopRequested() {
        return false;
    }

    TrainingListener NONE = new TrainingListener() {
    };

    /** One line per progress report on {@code out}. */
    static TrainingListener printing(PrintStream out) {
        return new TrainingListener() {
            @Override
            public void onProgress(Progress p) {
                out.printf(Locale.ROOT, "epoch %d/%d  batch %d/%d  loss %.4f  acc %.2f%%  lr %.2e  %.0f img/s%n",
                        p.epoch(), p.epochs(), p.batch(), p.batchesInEpoch(), p.loss(), p.accuracy(),
                        p.learningRate(), p.imagesPerSecond());
            }

            @Override
            public void onEpochEnd(Progress p, double seconds) {
                out.printf(Locale.ROOT, "epoch %d/%d done in %.1f s: loss %.4f  train acc %.2f%%%n", p.epoch(),
                        p.epochs(), seconds, p.loss(), p.accuracy());
            }
        };
    }
}
