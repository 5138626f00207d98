package dev.nabla.data;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.RuntimeJsonMappingException;
import com.fasterxml.jackson.dataformat.csv.CsvMapper;
import com.fasterxml.jackson.dataformat.csv.CsvParser;
import dev.nabla.tensor.Shape;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * A user's own data as a CSV file (read with Jackson's CSV module): a header row naming the columns, then one row
 * per sample of numeric features and a label. The label column is chosen by name (default the last); labels are
 * class indices (0, 1, …) or any strings, which become classes in sorted order, their names kept with the dataset
 * ({@link Dataset#classNames()}) and so with a model trained on it.
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
     *                    "0", "1", … up to the largest), anything else sorted strings
     * @throws MalformedDataException naming the file, row and column of the first problem
     */
    public static Dataset read(Path file, String labelColumn, List<String> classes, List<String> features)
            throws IOException {
        Table table = table(file);
        List<String> header = table.header();
        List<List<String>> rows = table.rows();
        int label = labelColumn == null ? header.size() - 1 : header.indexOf(labelColumn);
        if (label < 0 || header.size() < 2) {
            throw new MalformedDataException(file + (header.size() < 2 ? " has " + header.size() + " column, and needs "
                    + "features and a label" : " has no column '" + labelColumn + "'; its columns are " + header)
                    + ": give the label column with --label-column NAME");
        }
        String labelName = header.get(label);
        int[] featureIndex = new int[features == null ? header.size() - 1 : features.size()];
        if (features == null) {
            for (int j = 0, k = 0; j < header.size(); j++) {
                if (j != label) {
                    featureIndex[k++] = j;
                }
            }
        } else {
            for (int k = 0; k < features.size(); k++) {
                featureIndex[k] = header.indexOf(features.get(k));
                if (featureIndex[k] < 0 || featureIndex[k] == label) {
                    throw new MalformedDataException(file + " has no feature column '" + features.get(k) + "', which "
                            + "the model was trained with: its columns must be " + features + " (in any order)");
                }
            }
        }
        int width = featureIndex.length;
        float[] x = new float[Math.multiplyExact(rows.size(), width)];
        String[] rawLabels = new String[rows.size()];
        for (int r = 0; r < rows.size(); r++) {
            List<String> row = rows.get(r);
            if (row.size() != header.size()) {
                throw ragged(file, r, row, header);
            }
            for (int k = 0; k < width; k++) {
                x[r * width + k] = number(file, r, header.get(featureIndex[k]), row.get(featureIndex[k]));
            }
            rawLabels[r] = row.get(label);
        }
        List<String> classNames = classes == null ? inferClasses(rawLabels) : classes;
        int[] y = labels(file, rawLabels, classNames, labelName);
        String name = file.getFileName() == null ? file.toString() : file.getFileName().toString();
        List<String> featureNames = new ArrayList<>();
        for (int j : featureIndex) {
            featureNames.add(header.get(j));
        }
        return Dataset.adopt(name, x, Shape.of(width), y, classNames.size()).withClassNames(classNames)
                .withFeatureNames(featureNames);
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
                    + ": clean or impute the value before training");
        }
        return v;
    }

    /** Non-negative integer labels: "0" … the largest; otherwise the distinct strings, sorted. */
    private static List<String> inferClasses(String[] labels) {
        int largest = -1;
        for (String l : labels) {
            if (!l.matches("\\d{1,9}")) {
                return List.copyOf(new TreeSet<>(List.of(labels)));
            }
            largest = Math.max(largest, Integer.parseInt(l));
        }
        return java.util.stream.IntStream.rangeClosed(0, largest).mapToObj(Integer::toString).toList();
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
            java.util.Arrays.setAll(columns, k -> k);
        } else {
            throw new MalformedDataException(file + " has " + table.header().size() + " columns " + abbreviated(
                    table.header()) + ", but the model takes " + width + " features" + (features.isEmpty() ? ""
                    : ", the columns " + abbreviated(features)) + ": give one row per input with those columns");
        }
        float[] x = new float[Math.multiplyExact(table.rows().size(), width)];
        for (int r = 0; r < table.rows().size(); r++) {
            List<String> row = table.rows().get(r);
            if (row.size() != table.header().size()) {
                throw ragged(file, r, row, table.header());
            }
            for (int k = 0; k < width; k++) {
                x[r * width + k] = number(file, r, table.header().get(columns[k]), row.get(columns[k]));
            }
        }
        return x;
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
