package dev.nabla.cli.bench;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Median, minimum and maximum of repeated measurements, in the form the reference scripts print. */
final class Stats {
    private Stats() {
    }

    static Map<String, Object> of(List<Double> values) {
        double[] v = values.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        Map<String, Object> s = new LinkedHashMap<>();
        s.put("median", median(v));
        s.put("min", v.length == 0 ? Double.NaN : v[0]);
        s.put("max", v.length == 0 ? Double.NaN : v[v.length - 1]);
        s.put("n", v.length);
        return s;
    }

    static double median(double[] sorted) {
        if (sorted.length == 0) {
            return Double.NaN;
        }
        double[] v = sorted.clone();
        Arrays.sort(v);
        int mid = v.length / 2;
        return v.length % 2 == 1 ? v[mid] : (v[mid - 1] + v[mid]) / 2;
    }

    static double median(List<Double> values) {
        return median(values.stream().mapToDouble(Double::doubleValue).toArray());
    }
}
