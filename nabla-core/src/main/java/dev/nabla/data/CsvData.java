package dev.nabla.data;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.RuntimeJsonMappingException;
import com.fasterxml.jackson.dataformat.csv.CsvMapper;
import com.fasterxml.jackson.dataformat.csv.CsvParser;
import dev.nabla.tensor.Shape;
import java.io.CharConversionException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.stream.IntStream;

/**
 * A user's own data as a CSV file (read with Jackson's CSV module): a header row naming the columns, then one row
 * per sample of numeric features and a label. The label column is chosen by name (default the last); labels are
 * class indices (0, 1, …) or any strings, which become classes in sorted order, their names kept with the dataset
 * ({@link Dataset#classNames()}) and so with a model trained on it. For regression ({@link #readRegression}) one or
 * more numeric target columns take the label's place.
 *
 * <p>Every problem names the file, the row (counted from 1 after the header) and the column: a ragged row, a cell
 * that is not a number, a NaN or infinity, an empty file, a label column that does not exist, a label unknown to the
 * classes given.
 */
public final class CsvData {
    private static final CsvMapper CSV = new CsvMapper();

    private CsvData() {
    }

    /**
     * Reads {@code file}, inferring the classes from its labels.
     *
     * @param labelColumn the label column's name, or null for the last column
     */
    public static Dataset read(Path file, String labelColumn) throws IOException {
        return read(file, labelColumn, null, null);
    }

    /**
     * Reads {@code file} with the classes {@code classes} (another part's, or a model's: each label must be one of
     * them) and, when {@code features} is not null, those feature columns in that order (a test file must have the
     * training file's).
     *
     * @param labelColumn the label column's name, or null for the last column
     * @param classes     the classes' names, or null to infer them: non-negative integers are class indices (named
     *                    "0", "1", … up to the largest, below {@value #MAX_INDEXED_CLASSES}), anything else sorted
     *                    strings
     * @throws MalformedDataException naming the file, row and column of the first problem
     */
    public static Dataset read(Path file, String labelColumn, List<String> classes, List<String> features)
            throws IOException {
        Table table = table(file);
        List<String> header = table.header();
        List<List<String>> rows = table.rows();
        int label = answerColumns(file, header, labelColumn == null ? List.of() : List.of(labelColumn), "label")[0];
        int[] featureIndex = featureColumns(file, header, new int[] {label}, features);
        float[] x = numbers(file, table, featureIndex);
        String[] rawLabels = new String[rows.size()];
        for (int r = 0; r < rows.size(); r++) {
            rawLabels[r] = rows.get(r).get(label);
        }
        List<String> classNames = classes == null ? inferClasses(file, rawLabels, header.get(label)) : classes;
        int[] y = labels(file, rawLabels, classNames, header.get(label));
        return Dataset.adopt(fileName(file), x, Shape.of(featureIndex.length), y, classNames.size())
                .withClassNames(classNames).withFeatureNames(names(header, featureIndex));
    }

    /**
     * Reads {@code file} as regression data: numeric target columns, the others (or {@code features}, in that order)
     * the features.
     *
     * @param targetColumns the target columns' names, or empty for the last column
     * @param features      the feature columns in order (a model's, another part's), or null for all the others
     * @throws MalformedDataException naming the file, row and column of the first problem
     */
    public static Dataset readRegression(Path file, List<String> targetColumns, List<String> features)
            throws IOException {
        Table table = table(file);
        int[] targetIndex = answerColumns(file, table.header(), targetColumns, "target");
        int[] featureIndex = featureColumns(file, table.header(), targetIndex, features);
        float[] x = numbers(file, table, featureIndex);
        float[] t = numbers(file, table, targetIndex);
        return Dataset.adoptRegression(fileName(file), x, Shape.of(featureIndex.length), t,
                names(table.header(), targetIndex)).withFeatureNames(names(table.header(), featureIndex));
    }

    /** The indices of the label or target columns named, or of the last column when none is named. */
    private static int[] answerColumns(Path file, List<String> header, List<String> named, String what)
            throws MalformedDataException {
        if (header.size() < 2) {
            throw new MalformedDataException(file + " has " + header.size() + " column, and needs features and a "
                    + what + ": give a header row naming every column");
        }
        if (named.isEmpty()) {
            return new int[] {header.size() - 1};
        }
        int[] index = new int[named.size()];
        for (int k = 0; k < named.size(); k++) {
            index[k] = header.indexOf(named.get(k));
            if (index[k] < 0) {
                throw new MalformedDataException(file + " has no column '" + named.get(k) + "'; its columns are "
                        + abbreviated(header) + ": give the " + what + " column with --label-column NAME");
            }
        }
        if (named.size() >= header.size()) {
            throw new MalformedDataException(file + ": the " + what + " columns " + named + " leave no feature "
                    + "column");
        }
        return index;
    }

    /** The feature columns: {@code features} by name, in that order, or every column but the answers. */
    private static int[] featureColumns(Path file, List<String> header, int[] answers, List<String> features)
            throws MalformedDataException {
        List<Integer> excluded = Arrays.stream(answers).boxed().toList();
        if (features == null) {
            return IntStream.range(0, header.size()).filter(j -> !excluded.contains(j)).toArray();
        }
        int[] index = new int[features.size()];
        for (int k = 0; k < features.size(); k++) {
            index[k] = header.indexOf(features.get(k));
            if (index[k] < 0 || excluded.contains(index[k])) {
                throw new MalformedDataException(file + " has no feature column '" + features.get(k) + "', which "
                        + "the model was trained with: its columns must be " + features + " (in any order)");
            }
        }
        return index;
    }

    /** The numbers in {@code columns} of every row, {@code [rows, columns.length]} row-major. */
    private static float[] numbers(Path file, Table table, int[] columns) throws MalformedDataException {
        List<String> header = table.header();
        int width = columns.length;
        float[] x = new float[Math.multiplyExact(table.rows().size(), width)];
        for (int r = 0; r < table.rows().size(); r++) {
            List<String> row = table.rows().get(r);
            if (row.size() != header.size()) {
                throw ragged(file, r, row, header);
            }
            for (int k = 0; k < width; k++) {
                x[r * width + k] = number(file, r, header.get(columns[k]), row.get(columns[k]));
            }
        }
        return x;
    }

    private static List<String> names(List<String> header, int[] columns) {
        return Arrays.stream(columns).mapToObj(header::get).toList();
    }

    private static String fileName(Path file) {
        return file.getFileName() == null ? file.toString() : file.getFileName().toString();
    }

    private static float number(Path file, int row, String column, String cell) throws MalformedDataException {
        float v;
        try {
            v = Float.parseFloat(cell);
        } catch (NumberFormatException e) {
            throw new MalformedDataException(file + ": row " + (row + 1) + ", column '" + column + "': '" + cell
                    + "' is not a number" + (cell.isEmpty() ? " (the cell is empty)" : "")
                    + ": features must be numeric; encode categories as numbers, or drop the column");
        }
        if (!Float.isFinite(v)) {
            throw new MalformedDataException(file + ": row " + (row + 1) + ", column '" + column + "' is " + cell
                    + ": a model can neither learn from nor predict on a non-finite value; clean or impute it");
        }
        return v;
    }

    /**
     * The most classes that labels given as indices (0, 1, …) may make: a larger index is far more likely a
     * quantity or a corrupt cell than a class, and would make that many outputs.
     */
    static final int MAX_INDEXED_CLASSES = 100_000;

    /** More distinct labels than this, all numbers and not all whole, are taken for a regression target. */
    static final int MAX_NUMERIC_CLASSES = 20;

    /**
     * Non-negative integer labels: "0" … the largest; otherwise the distinct strings, sorted.
     *
     * @throws MalformedDataException when the labels look like a quantity to predict: more than
     *                                {@value #MAX_NUMERIC_CLASSES} distinct numbers, not all whole
     */
    private static List<String> inferClasses(Path file, String[] labels, String column)
            throws MalformedDataException {
        TreeSet<String> distinct = new TreeSet<>(List.of(labels));
        if (distinct.size() > MAX_NUMERIC_CLASSES && distinct.stream().allMatch(CsvData::isNumber)
                && !distinct.stream().allMatch(l -> l.matches("-?\\d+"))) {
            throw new MalformedDataException(file + ": the label column '" + column + "' holds " + distinct.size()
                    + " distinct numbers, such as " + labels[0] + ": to predict the number, add --task regression; to "
                    + "classify, give labels that are class indices or names");
        }
        int largest = -1;
        int row = 0;
        for (int r = 0; r < labels.length; r++) {
            if (!labels[r].matches("\\d{1,9}")) {
                return List.copyOf(distinct);
            }
            if (Integer.parseInt(labels[r]) > largest) {
                largest = Integer.parseInt(labels[r]);
                row = r;
            }
        }
        if (largest >= MAX_INDEXED_CLASSES) {
            throw new MalformedDataException(file + ": row " + (row + 1) + ", column '" + column + "': label "
                    + labels[row] + " as a class index makes " + (largest + 1L) + " classes, more than the "
                    + MAX_INDEXED_CLASSES + " a label column may number: number the classes from 0, or give them "
                    + "as names");
        }
        return IntStream.rangeClosed(0, largest).mapToObj(Integer::toString).toList();
    }

    private static boolean isNumber(String cell) {
        try {
            Float.parseFloat(cell);
            return true;
        } catch (NumberFormatException e) {
            return false;
        }
    }

    private static int[] labels(Path file, String[] raw, List<String> classNames, String column)
            throws MalformedDataException {
        Map<String, Integer> index = new java.util.HashMap<>();
        for (int i = 0; i < classNames.size(); i++) {
            index.put(classNames.get(i), i);
        }
        int[] y = new int[raw.length];
        for (int r = 0; r < raw.length; r++) {
            Integer c = index.get(raw[r]);
            if (c == null && raw[r].matches("\\d{1,9}")) {
                c = index.get(Integer.toString(Integer.parseInt(raw[r])));   // "07" is class "7"
            }
            if (c == null) {
                throw new MalformedDataException(file + ": row " + (r + 1) + ", column '" + column + "': label '"
                        + raw[r] + "' is not one of the classes " + abbreviated(classNames)
                        + ": the labels must be those of the training data");
            }
            y[r] = c;
        }
        return y;
    }

    private static String abbreviated(List<String> names) {
        return names.size() <= 20 ? names.toString() : names.subList(0, 20) + " (and " + (names.size() - 20) + " more)";
    }

    /**
     * The feature rows of {@code file}, for a model to classify: the columns named {@code features} when the file
     * has them all (any other column, a label say, is left out), else every column, which must then be
     * {@code width} many.
     *
     * @param features the columns the model was trained on, or empty when it was trained on images
     * @return {@code [rows, width]} row-major
     * @throws MalformedDataException naming the file, row and column of the first problem
     */
    public static float[] features(Path file, List<String> features, int width) throws IOException {
        Table table = table(file);
        int[] columns = new int[width];
        if (!features.isEmpty() && table.header().containsAll(features)) {
            for (int k = 0; k < width; k++) {
                columns[k] = table.header().indexOf(features.get(k));
            }
        } else if (table.header().size() == width) {
            Arrays.setAll(columns, k -> k);
        } else {
            throw new MalformedDataException(file + " has " + table.header().size() + " columns " + abbreviated(
                    table.header()) + ", but the model takes " + width + " features" + (features.isEmpty() ? ""
                    : ", the columns " + abbreviated(features)) + ": give one row per input with those columns");
        }
        return numbers(file, table, columns);
    }

    private record Table(List<String> header, List<List<String>> rows) {
    }

    private static Table table(Path file) throws IOException {
        if (!Files.exists(file)) {
            throw new NoSuchFileException(file.toString(), null, "no such file: give the path of a CSV file with a "
                    + "header row");
        }
        List<String> header;
        List<List<String>> rows = new ArrayList<>();
        try (MappingIterator<List<String>> it = CSV.readerForListOf(String.class)
                .with(CsvParser.Feature.WRAP_AS_ARRAY).with(CsvParser.Feature.TRIM_SPACES).readValues(file.toFile())) {
            if (!it.hasNext()) {
                throw new MalformedDataException(file + " is empty: a CSV file needs a header row naming its columns, "
                        + "then one row per sample");
            }
            header = it.next();
            while (it.hasNext()) {
                List<String> row = it.next();
                if (!(row.size() == 1 && row.get(0).isEmpty())) {   // a blank line
                    rows.add(row);
                }
            }
        } catch (RuntimeJsonMappingException | JsonProcessingException e) {
            throw new MalformedDataException(file + " is not a readable CSV file: " + e.getMessage().lines().findFirst()
                    .orElse(""), e);
        } catch (CharConversionException e) {   // bytes that are not UTF-8 where the parser starts
            throw new MalformedDataException(file + " is not a readable CSV file: " + e.getMessage()
                    + ": save it as UTF-8 text", e);
        }
        if (rows.isEmpty()) {
            throw new MalformedDataException(file + " has a header row but no rows: add one row per sample");
        }
        return new Table(header, rows);
    }

    private static MalformedDataException ragged(Path file, int r, List<String> row, List<String> header) {
        return new MalformedDataException(file + ": row " + (r + 1) + " has " + row.size() + " cells, the header "
                + header.size() + ": every row needs one value per column");
    }
}
