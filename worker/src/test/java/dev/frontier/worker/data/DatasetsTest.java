package dev.frontier.worker.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.data.Offset.offset;

import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Reads the real Fashion-MNIST installed by Debian's dataset-fashion-mnist. */
class DatasetsTest {
    @AfterEach
    void clearProperty() {
        System.clearProperty(Datasets.DIR_PROPERTY);
    }

    @Test
    void fashionMnistSplits() {
        DataSplits s = Datasets.resolve("fashion-mnist");
        assertThat(s.train().size()).isEqualTo(55_000);
        assertThat(s.validation().size()).isEqualTo(5_000);
        assertThat(s.test().size()).isEqualTo(10_000);
        assertThat(s.test().classes()).isEqualTo(10);
        assertThat(s.test().classNames().get(9)).isEqualTo("Ankle boot");
        assertThat(s.test().inputShape().toArray()).containsExactly(1, 28, 28);
        assertThat(s.test().classCounts()).containsOnly(1000);
        // Fashion-MNIST's pixel statistics are well known: mean ~0.286, std ~0.353
        assertThat(s.normalization().mean()).isCloseTo(0.286f, offset(0.003f));
        assertThat(s.normalization().std()).isCloseTo(0.353f, offset(0.003f));
        // the first test image is an ankle boot (label 9)
        assertThat(s.test().label(0)).isEqualTo(9);
        assertThat(Datasets.resolve("FMNIST")).isSameAs(s);
        assertThat(s.split("val")).isSameAs(s.validation());
    }

    @Test
    void shufflingSubsetsAndNormalizationAreDeterministic() {
        Dataset test = Datasets.resolve("fashion-mnist").test();
        Dataset a = test.shuffled(42).subset(100);
        Dataset b = test.shuffled(42).subset(100);
        Dataset c = test.shuffled(43).subset(100);
        assertThat(a.labels()).isEqualTo(b.labels());
        assertThat(a.image(7)).isEqualTo(b.image(7));
        assertThat(a.labels()).isNotEqualTo(c.labels());
        assertThat(test.subset(3).labels()).containsExactly(test.label(0), test.label(1), test.label(2));
        assertThat(test.subset(1_000_000).size()).isEqualTo(10_000);
        Dataset raw = test.subset(10).normalized(Normalization.NONE);
        for (float v : raw.image(3)) {
            assertThat(v).isBetween(0f, 1f);
        }
        assertThat(Dataset.permutation(10, 1)).containsExactlyInAnyOrder(0, 1, 2, 3, 4, 5, 6, 7, 8, 9);
    }

    @Test
    void missingDatasetNamesPackageAndSetting(@TempDir Path empty) {
        System.setProperty(Datasets.DIR_PROPERTY, empty.toString());
        assertThatThrownBy(() -> Datasets.resolve("fashion-mnist")).isInstanceOf(DatasetException.class)
                .hasMessageContaining("dataset-fashion-mnist").hasMessageContaining(Datasets.DIR_PROPERTY)
                .hasMessageContaining(Datasets.DIR_ENV).hasMessageContaining(empty.toString());
    }

    @Test
    void unknownNameListsKnownForms() {
        assertThatThrownBy(() -> Datasets.resolve("cifar-1000")).isInstanceOf(DatasetException.class)
                .hasMessageContaining("unknown dataset 'cifar-1000'").hasMessageContaining("idx:");
    }

    @Test
    void idxDirectoryForm() {
        DataSplits s = Datasets.resolve("idx:/usr/share/datasets/fashion-mnist");
        assertThat(s.test().size()).isEqualTo(10_000);
        assertThat(s.test().classes()).isEqualTo(10);
    }
}
