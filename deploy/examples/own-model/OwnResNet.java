import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

import dev.frontier.worker.data.DataSplits;
import dev.frontier.worker.data.Datasets;
import dev.frontier.worker.model.Graph;
import dev.frontier.worker.model.NetworkBuilder;
import dev.frontier.worker.onnx.OnnxModels;
import dev.frontier.worker.train.Evaluator;
import dev.frontier.worker.train.TrainConfig;
import dev.frontier.worker.train.Trainer;
import dev.frontier.worker.train.TrainingListener;

/**
 * A small residual CNN that is not in Frontier's zoo (a user's own model): stem 3x3 conv, two residual
 * stages (identity and 1x1-projection shortcuts) with max pooling between, a 3x3 head conv, global
 * average pooling and one linear layer. Trained on the local training split, written as ONNX (opset
 * 13), which is how a user brings a model from another framework.
 *
 * usage: java -cp CLASSPATH OwnResNet.java OUT.onnx EPOCHS
 */
public class OwnResNet {
    public static void main(String[] args) throws Exception {
        Path out = Path.of(args[0]);
        double epochs = Double.parseDouble(args[1]);
        NetworkBuilder b = new NetworkBuilder(11, 1, 28, 28).metadata("arch", "own-resnet");
        b.conv("stem", 24, 3, 1, 1).batchNorm("stem_bn").relu("stem_relu");
        String in = b.current();
        b.conv("a1", 24, 3, 1, 1).batchNorm("a1_bn").relu("a1_relu").conv("a2", 24, 3, 1, 1).batchNorm("a2_bn");
        b.add("a_add", in).relu("a_relu").maxPool("pool1", 2, 2);
        in = b.current();
        b.conv("b1", 48, 3, 1, 1).batchNorm("b1_bn").relu("b1_relu").conv("b2", 48, 3, 1, 1).batchNorm("b2_bn");
        String main = b.current();
        b.from(in).conv("b_proj", 48, 1, 1, 0).batchNorm("b_proj_bn");
        String shortcut = b.current();
        b.from(main).add("b_add", shortcut).relu("b_relu").maxPool("pool2", 2, 2);
        b.conv("head", 64, 3, 1, 1).batchNorm("head_bn").relu("head_relu").globalAvgPool("gap").linear("fc", 10);
        Graph g = b.build();

        DataSplits data = Datasets.fashionMnist();
        Graph trained = Trainer.train(g, data.train(), TrainConfig.baseline(epochs).withSeed(11), new TrainingListener() {
            @Override
            public void onEpochEnd(TrainingListener.Progress p, double seconds) {
                System.err.printf(Locale.ROOT, "epoch %d/%d: loss %.3f, train accuracy %.2f %% (%.0f s)%n", p.epoch(),
                        p.epochs(), p.loss(), p.accuracy(), seconds);
            }
        });
        System.err.printf(Locale.ROOT, "validation %.2f %%, test %.2f %% (%d MACs)%n", Evaluator.accuracy(trained, data.validation()),
                Evaluator.accuracy(trained, data.test()), trained.totalMacs());
        Files.write(out, OnnxModels.write(trained));
    }
}
