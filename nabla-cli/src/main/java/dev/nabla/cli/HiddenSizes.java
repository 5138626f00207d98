package dev.nabla.cli;

import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine;

/** Parses {@code --hidden 256,128} into layer sizes; an empty string means no hidden layer. */
final class HiddenSizes implements CommandLine.ITypeConverter<List<Integer>> {
    @Override
    public List<Integer> convert(String value) {
        List<Integer> sizes = new ArrayList<>();
        if (value.isBlank()) {
            return sizes;
        }
        for (String part : value.split(",")) {
            int size;
            try {
                size = Integer.parseInt(part.strip());
            } catch (NumberFormatException e) {
                size = -1;
            }
            if (size < 1) {
                throw new CommandLine.TypeConversionException("'" + value + "' is not a comma-separated list of "
                        + "positive layer sizes ('" + part.strip() + "' is not): write e.g. --hidden 256,128");
            }
            sizes.add(size);
        }
        return sizes;
    }
}
