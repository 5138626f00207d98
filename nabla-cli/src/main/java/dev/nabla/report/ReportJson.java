package dev.nabla.report;

import dev.nabla.diagnostics.Diagnosis;
import dev.nabla.diagnostics.FeatureMaps;
import dev.nabla.diagnostics.MonitorRecords;
import dev.nabla.diagnostics.MonitorRecords.ActivationStats;
import dev.nabla.diagnostics.MonitorRecords.BatchNormStats;
import dev.nabla.diagnostics.MonitorRecords.GradientStats;
import dev.nabla.diagnostics.MonitorRecords.NonFinite;
import dev.nabla.diagnostics.MonitorRecords.Parameter;
import dev.nabla.diagnostics.MonitorRecords.TimeStats;
import dev.nabla.tensor.Tensor;
import dev.nabla.train.EpochMetrics;
import dev.nabla.train.History;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The report's data as a JSON tree of maps and lists: {@code history.json}, and the data the HTML page draws its
 * charts from. NaN and ∞, which JSON cannot hold, become {@code null} (a gap in a chart).
 */
public final class ReportJson {
    private ReportJson() {
    }

    static Map<String, Object> tree(ReportData d) {
        Map<String, Object> root = new LinkedHashMap<>();
        root.put("title", d.title());
        root.put("config", d.config());
        root.put("environment", d.environment());
        root.put("epochs", epochs(d.history()));
        root.put("steps", steps(d.history()));
        root.put("monitor", monitor(d.records()));
        root.put("diagnosis", diagnosis(d.diagnosis()));
        if (d.filters() != null) {
            Tensor w = d.filters().weight();
            root.put("filters", ordered("layer", d.filters().layer(), "shape", w.shape().dims(), "values", w.data()));
        }
        if (d.featureMaps() != null) {
            root.put("feature_maps", featureMaps(d.featureMaps()));
        }
        return root;
    }

    private static Map<String, Object> featureMaps(FeatureMapView v) {
        List<Map<String, Object>> blocks = new ArrayList<>();
        for (int i = 0; i < v.maps().blocks().size(); i++) {
            FeatureMaps.Block b = v.maps().blocks().get(i);
            blocks.add(ordered("layer", b.layer(), "channels", i < v.channels().size() ? v.channels().get(i) : null,
                    "shape", b.maps().shape().dims(), "values", b.maps().data()));
        }
        return ordered("images", ordered("shape", v.images().shape().dims(), "values", v.images().data()),
                "captions", v.captions(), "blocks", blocks);
    }

    /** {@code v}, or null where JSON has no number for it (NaN, ±∞). */
    public static Double finite(double v) {
        return Double.isFinite(v) ? v : null;
    }

    private static List<Map<String, Object>> epochs(History h) {
        List<Map<String, Object>> out = new ArrayList<>();
        for (EpochMetrics e : h.epochs()) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("epoch", e.epoch());
            m.put("train_loss", finite(e.trainLoss()));
            m.put("train_accuracy", finite(e.trainAccuracy()));
            m.put("test_loss", finite(e.testLoss()));
            m.put("test_accuracy", finite(e.testAccuracy()));
            m.put("val_loss", finite(e.valLoss()));
            m.put("val_accuracy", finite(e.valAccuracy()));
            m.put("lr", finite(e.lr()));
            m.put("seconds", finite(e.seconds()));
            m.put("samples_per_second", finite(e.samplesPerSecond()));
            out.add(m);
        }
        return out;
    }

    private static Map<String, Object> steps(History h) {
        float[] loss = h.stepLosses();
        double[] before = h.stepGradNorms();
        double[] after = h.stepClippedGradNorms();
        List<Double> l = new ArrayList<>();
        List<Double> b = new ArrayList<>();
        List<Double> a = new ArrayList<>();
        for (int i = 0; i < loss.length; i++) {
            l.add(finite(loss[i]));
            b.add(finite(before[i]));
            a.add(finite(after[i]));
        }
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("loss", l);
        m.put("grad_norm", b);
        m.put("clipped_grad_norm", a);
        return m;
    }

    private static Map<String, Object> monitor(MonitorRecords r) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("every", r.every());
        List<Map<String, Object>> params = new ArrayList<>();
        for (Parameter p : r.parameters()) {
            params.add(ordered("name", p.name(), "module", p.module(), "type", p.moduleType(), "shape", p.shape(),
                    "weight", p.isWeight()));
        }
        m.put("parameters", params);
        Map<String, String> acts = new LinkedHashMap<>();
        r.activations().forEach((k, v) -> acts.put(k, v.toString()));
        m.put("activations", acts);
        List<Map<String, Object>> grads = new ArrayList<>();
        for (GradientStats g : r.gradients()) {
            grads.add(ordered("step", g.step(), "name", g.name(), "grad_norm", finite(g.gradNorm()),
                    "param_norm", finite(g.paramNorm()), "update_ratio", finite(g.updateRatio()),
                    "zero_grad_fraction", finite(g.zeroGradFraction())));
        }
        m.put("gradients", grads);
        List<Map<String, Object>> outs = new ArrayList<>();
        for (ActivationStats a : r.outputs()) {
            outs.add(ordered("step", a.step(), "module", a.module(), "kind", a.kind().toString(),
                    "mean", finite(a.mean()), "std", finite(a.std()), "saturated_fraction", finite(a.saturatedFraction()),
                    "dead_fraction", finite(a.deadFraction())));
        }
        m.put("activations_stats", outs);
        List<Map<String, Object>> bns = new ArrayList<>();
        for (BatchNormStats b : r.batchNorms()) {
            bns.add(ordered("step", b.step(), "module", b.module(), "running_mean_avg", finite(b.meanOfMean()),
                    "running_var_avg", finite(b.meanOfVar())));
        }
        m.put("batchnorm", bns);
        List<Map<String, Object>> times = new ArrayList<>();
        for (TimeStats t : r.times()) {
            times.add(ordered("step", t.step(), "norms", t.norms().stream().map(ReportJson::finite).toList(),
                    "ratio_first_last", finite(t.profile().ratioFirstLast())));
        }
        m.put("time", times);
        NonFinite nf = r.nonFinite();
        m.put("non_finite", nf == null ? null : ordered("step", nf.step(), "phase",
                nf.phase().name().toLowerCase(Locale.ROOT), "where", nf.where(), "detail", nf.detail()));
        return m;
    }

    private static Map<String, Object> diagnosis(Diagnosis d) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("verdict", d.verdict().label());
        m.put("network", finding(d.network()));
        List<Map<String, Object>> layers = new ArrayList<>();
        d.layers().forEach(f -> layers.add(finding(f)));
        m.put("layers", layers);
        return m;
    }

    private static Map<String, Object> finding(Diagnosis.Finding f) {
        return ordered("subject", f.subject(), "verdict", f.verdict().label(), "evidence", f.evidence(),
                "reason", f.reason(), "fix", f.fix());
    }

    private static Map<String, Object> ordered(Object... keyValues) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (int i = 0; i < keyValues.length; i += 2) {
            m.put((String) keyValues[i], keyValues[i + 1]);
        }
        return m;
    }
}
