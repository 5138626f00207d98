package dev.nabla.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.nabla.tensor.Shape;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class FashionMnistTest {
    @TempDir
    Path dir;

    @ParameterizedTest(name = "gzip={0}")
    @ValueSource(booleans = {false, true})
    void loadsFourFilesFromADirectory(boolean gzip) throws IOException {
        IdxFiles.writeSplit(dir, 12, 5, 28, 10, gzip);

        Dataset.Split s = FashionMnist.load(dir);

        assertEquals(12, s.train().size());
        assertEquals(5, s.test().size());
        assertEquals(Shape.of(784), s.train().sampleShape());
        assertEquals(10, s.test().numClasses());
        assertEquals("fashion-mnist/train", s.train().name());
        assertEquals(3 / 255f, s.train().batch(new int[] {0}).x().data()[3]);
    }

    @Test
    void missingFileNamesFileDirectoryAndHowToInstall() throws IOException {
        IdxFiles.writeSplit(dir, 2, 2, 28, 10, true);
        Files.delete(dir.resolve("t10k-labels-idx1-ubyte.gz"));

        var e = assertThrows(NoSuchFileException.class, () -> FashionMnist.load(dir));

        String m = e.getMessage();
        assertTrue(m.contains("t10k-labels-idx1-ubyte"), m);
        assertTrue(m.contains("in " + dir), m);
        assertTrue(m.contains("sudo apt-get install dataset-fashion-mnist"), m);
        assertTrue(m.contains("pass a directory"), m);
    }

    @Test
    void missingDirectoryIsSaid() {
        Path nowhere = dir.resolve("nowhere");

        var e = assertThrows(NoSuchFileException.class, () -> FashionMnist.load(nowhere));

        assertTrue(e.getMessage().contains("no such directory"), e.getMessage());
    }

    @Test
    void imageAndLabelCountsMustAgree() throws IOException {
        IdxFiles.writeSplit(dir, 4, 2, 28, 10, false);
        IdxFiles.write(dir.resolve("train-labels-idx1-ubyte"), IdxFiles.labels(1, 2, 3), false);

        var e = assertThrows(MalformedDataException.class, () -> FashionMnist.load(dir));

        assertTrue(e.getMessage().contains("train-images-idx3-ubyte holds 4 images but train-labels-idx1-ubyte "
                + "holds 3 labels"), e.getMessage());
    }

    @Test
    void imagesOfAnotherSizeAreRejected() throws IOException {
        IdxFiles.writeSplit(dir, 3, 2, 8, 10, false);

        var e = assertThrows(MalformedDataException.class, () -> FashionMnist.load(dir));

        assertTrue(e.getMessage().contains("28×28"), e.getMessage());
    }

    @Test
    @Tag("integration")
    void loadsTheInstalledDataset() throws IOException {
        assumeTrue(FashionMnist.isInstalled(), "Fashion-MNIST is not installed in " + FashionMnist.DEBIAN_DIR
                + ": sudo apt-get install dataset-fashion-mnist");

        Dataset.Split s = FashionMnist.load();

        assertEquals(60_000, s.train().size());
        assertEquals(10_000, s.test().size());
        assertEquals(Shape.of(784), s.train().sampleShape());
        assertEquals(Shape.of(784), s.test().sampleShape());
        int[] perClass = new int[10];
        for (int label : s.train().labels()) {
            perClass[label]++;
        }
        for (int c = 0; c < 10; c++) {
            assertEquals(6000, perClass[c], "class " + c + " in the training set");
        }
        Batch b = s.test().batch(new int[] {0, 9999});
        for (float v : b.x().data()) {
            assertTrue(v >= 0 && v <= 1, "pixel " + v);
        }
        assertEquals(9, s.test().label(0), "the first test image is an ankle boot");
    }
}
