package dev.nabla.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class CsvDataTest {
    @TempDir
    Path dir;

    private Path file(String content) throws IOException {
        Path f = dir.resolve("data.csv");
        Files.writeString(f, content);
        return f;
    }

    @Test
    void readsFeaturesAndStringLabelsAsSortedClasses() throws IOException {
        Dataset d = CsvData.read(file("width,height,kind\n1.5,2,cat\n3,4e-1,dog\n-1,0,cat\n"), null);
        assertEquals(3, d.size());
        assertEquals(2, d.features());
        assertEquals(List.of("cat", "dog"), d.classNames());
        assertEquals(List.of("width", "height"), d.featureNames());
        assertArrayEquals(new int[] {0, 1, 0}, d.labels());
        assertArrayEquals(new float[] {1.5f, 2, 3, 0.4f, -1, 0}, d.batch(new int[] {0, 1, 2}).x().data());
    }

    @Test
    void numericLabelsAreClassIndicesAndTheLabelColumnIsChosenByName() throws IOException {
        Dataset d = CsvData.read(file("label,a,b\n2,1,2\n0,3,4\n"), "label");
        assertEquals(List.of("0", "1", "2"), d.classNames());
        assertArrayEquals(new int[] {2, 0}, d.labels());
        assertEquals(List.of("a", "b"), d.featureNames());
    }

    @Test
    void aTestFileTakesTheTrainingClassesAndColumns() throws IOException {
        Path f = file("b,y,a\n2,dog,1\n");
        Dataset d = CsvData.read(f, "y", List.of("cat", "dog"), List.of("a", "b"));
        assertArrayEquals(new int[] {1}, d.labels());
        assertArrayEquals(new float[] {1, 2}, d.batch(new int[] {0}).x().data());
        var e = assertThrows(MalformedDataException.class, () -> CsvData.read(f, "y", List.of("cat", "cow"), null));
        assertEquals(f + ": row 1, column 'y': label 'dog' is not one of the classes [cat, cow]: the labels must be "
                + "those of the training data", e.getMessage());
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
        ragged row        | a,b,y\\n1,2,x\\n1,x\\n   | : row 2 has 2 cells, the header 3: every row needs one value per column
        not a number      | a,b,y\\n1,abc,x\\n       | : row 1, column 'b': 'abc' is not a number: features must be numeric
        empty cell        | a,b,y\\n1,,x\\n          | : row 1, column 'b': '' is not a number (the cell is empty)
        NaN               | a,b,y\\n1,NaN,x\\n       | : row 1, column 'b' is NaN: clean or impute the value before training
        infinity          | a,b,y\\n1,Infinity,x\\n  | : row 1, column 'b' is Infinity: clean or impute
        empty file        | ''                       | is empty: a CSV file needs a header row
        header only       | a,b,y\\n                 | has a header row but no rows
        one column        | y\\n1\\n                 | has 1 column, and needs features and a label
        """)
    void refusesBadDataNamingFileRowAndColumn(String what, String content, String expected) throws IOException {
        Path f = file(content.replace("\\n", "\n"));
        var e = assertThrows(MalformedDataException.class, () -> CsvData.read(f, null));
        assertTrue(e.getMessage().startsWith(f.toString()), e.getMessage());
        assertTrue(e.getMessage().contains(expected), what + ": " + e.getMessage());
    }

    @Test
    void aMissingLabelColumnListsTheColumns() throws IOException {
        Path f = file("a,b\n1,2\n");
        var e = assertThrows(MalformedDataException.class, () -> CsvData.read(f, "label"));
        assertEquals(f + " has no column 'label'; its columns are [a, b]: give the label column with --label-column "
                + "NAME", e.getMessage());
    }

    @Test
    void featuresForPredictionTakeTheModelsColumnsByName() throws IOException {
        Path f = file("b,a,y\n2,1,x\n4,3,z\n");
        assertArrayEquals(new float[] {1, 2, 3, 4}, CsvData.features(f, List.of("a", "b"), 2));
        var e = assertThrows(MalformedDataException.class, () -> CsvData.features(f, List.of(), 2));
        assertEquals(f + " has 3 columns [b, a, y], but the model takes 2 features: give one row per input with "
                + "those columns", e.getMessage());
    }
}
