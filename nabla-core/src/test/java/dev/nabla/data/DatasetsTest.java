package dev.nabla.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nabla.tensor.Shape;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.io.TempDir;

class DatasetsTest {
    @TempDir
    Path dir;

    @Test
    void digitsByName() throws IOException {
        Dataset.Split s = Datasets.byName("digits");

        assertSame(Digits.train(), s.train());
        assertSame(Digits.test(), s.test());
    }

    @Test
    void directoryByPath() throws IOException {
        Path mnist = Files.createDirectory(dir.resolve("tiny-mnist"));
        IdxFiles.writeSplit(mnist, 6, 3, 5, 4, true);

        Dataset.Split s = Datasets.byName(mnist.toString());

        assertEquals(6, s.train().size());
        assertEquals(3, s.test().size());
        assertEquals(Shape.of(25), s.train().sampleShape());
        assertEquals(4, s.train().numClasses(), "largest label plus one");
        assertEquals("tiny-mnist/train", s.train().name());
    }

    @Test
    void unknownNameListsTheAcceptedValues() {
        var e = assertThrows(IllegalArgumentException.class, () -> Datasets.byName("cifar-10"));

        String m = e.getMessage();
        assertTrue(m.contains("unknown dataset 'cifar-10'"), m);
        assertTrue(m.contains("digits"), m);
        assertTrue(m.contains("fashion-mnist"), m);
        assertTrue(m.contains("directory"), m);
    }

    @Test
    void directoryWithoutIdxFilesNamesTheMissingFile() {
        var e = assertThrows(NoSuchFileException.class, () -> Datasets.fromDirectory(dir));

        assertTrue(e.getMessage().contains("train-images-idx3-ubyte"), e.getMessage());
        assertTrue(e.getMessage().contains(dir.toString()), e.getMessage());
    }

    @Test
    void trainAndTestImageSizesMustAgree() throws IOException {
        IdxFiles.writeSplit(dir, 2, 2, 5, 3, false);
        IdxFiles.write(dir.resolve("t10k-images-idx3-ubyte"), IdxFiles.images(2, 4, 4, new byte[32]), false);

        var e = assertThrows(MalformedDataException.class, () -> Datasets.fromDirectory(dir));

        assertTrue(e.getMessage().contains("5×5 images but t10k-images-idx3-ubyte holds 4×4"), e.getMessage());
    }

    @ParameterizedTest(name = "in the {0} labels")
    @ValueSource(strings = {"train", "t10k"})
    void aLabelThatLeavesClassesWithoutTrainingSamplesIsRefusedNamingFileIndexAndValue(String part) throws IOException {
        IdxFiles.writeSplit(dir, 20, 10, 5, 10, false);
        int[] labels = new int[part.equals("train") ? 20 : 10];
        for (int i = 0; i < labels.length; i++) {
            labels[i] = i % 10;
        }
        labels[7] = 200;
        if (part.equals("train")) {
            labels[17] = 7;   // class 7 keeps a training sample
        }
        IdxFiles.write(dir.resolve(part + "-labels-idx1-ubyte"), IdxFiles.labels(labels), false);

        var e = assertThrows(MalformedDataException.class, () -> Datasets.fromDirectory(dir));

        String m = e.getMessage();
        assertTrue(m.startsWith(dir.resolve(part + "-labels-idx1-ubyte") + ": label 200 at index 7 leaves class 10 "
                + "(and others up to 199) without a single training sample"), m);
        assertTrue(m.contains("--classes 201"), m);
        assertEquals(201, Datasets.fromDirectory(dir, 201).train().numClasses(), "said on purpose, it is accepted");
    }

    @Test
    void aGivenNumberOfClassesMustHoldEveryLabel() throws IOException {
        IdxFiles.writeSplit(dir, 20, 10, 5, 10, false);

        var e = assertThrows(IllegalArgumentException.class, () -> Datasets.fromDirectory(dir, 5));

        assertTrue(e.getMessage().contains("has label 5, outside the valid range [0, 5)"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Datasets.byName("digits", 12));
        assertEquals(10, Datasets.byName("digits", 10).train().numClasses());
    }
}
