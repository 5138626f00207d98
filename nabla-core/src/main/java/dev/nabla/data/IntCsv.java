package dev.nabla.data;

import java.io.BufferedReader;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads comma-separated integers, a fixed number per line, reporting any fault by line and column. An optional
 * header line (one whose first field is not a number) is skipped; blank lines are ignored.
 */
final class IntCsv {
    private IntCsv() {}

    /** Checks the values of one row. */
    @FunctionalInterface
    interface RowCheck {
        /** What is wrong with {@code row}, e.g. {@code "column 3: 17 is outside 0..16"}, or null when nothing is. */
        String problem(int[] row);
    }

    /**
     * Every row of {@code in}, each {@code columns} integers that pass {@code check}.
     *
     * @param source names the input in messages, e.g. a file or resource name
     * @throws MalformedDataException naming the source, the line and the column at fault
     */
    static List<int[]> read(BufferedReader in, String source, int columns, RowCheck check) throws IOException {
        List<int[]> rows = new ArrayList<>();
        String line;
        int lineNo = 0;
        while ((line = in.readLine()) != null) {
            lineNo++;
            if (line.isBlank() || (lineNo == 1 && isHeader(line))) {
                continue;
            }
            String[] fields = line.split(",", -1);
            if (fields.length != columns) {
                throw new MalformedDataException(source + " line " + lineNo + ": expected " + columns
                        + " comma-separated values, found " + fields.length);
            }
            int[] row = new int[columns];
            for (int c = 0; c < columns; c++) {
                try {
                    row[c] = Integer.parseInt(fields[c].strip());
                } catch (NumberFormatException e) {
                    throw new MalformedDataException(source + " line " + lineNo + ", column " + (c + 1) + ": '"
                            + fields[c] + "' is not an integer");
                }
            }
            String problem = check.problem(row);
            if (problem != null) {
                throw new MalformedDataException(source + " line " + lineNo + ", " + problem);
            }
            rows.add(row);
        }
        return rows;
    }

    private static boolean isHeader(String line) {
        String first = line.split(",", 2)[0].strip();
        try {
            Integer.parseInt(first);
            return false;
        } catch (NumberFormatException e) {
            return true;
        }
    }
}
