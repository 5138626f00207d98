package dev.nabla.cli;

import dev.nabla.train.EpochMetrics;
import dev.nabla.train.History;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The per-epoch figures of a run as {@code --json} prints them under {@code "history"}. */
final class EpochJson {
    private EpochJson() {
    }

    /** One object per epoch: losses and accuracies (not for regression), validation figures when there are any. */
    static List<Map<String, Object>> of(History history, boolean regression) {
        List<Map<String, Object>> perEpoch = new ArrayList<>();
        for (EpochMetrics e : history.epochs()) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("epoch", e.epoch());
            m.put("train_loss", e.trainLoss());
            if (!regression) {
                m.put("train_accuracy", e.trainAccuracy());
            }
            m.put("test_loss", e.testLoss());
            if (!regression) {
                m.put("test_accuracy", e.testAccuracy());
            }
            if (!Double.isNaN(e.valLoss())) {
                m.put("val_loss", e.valLoss());
                if (!regression) {
                    m.put("val_accuracy", e.valAccuracy());
                }
            }
            m.put("lr", e.lr());
            m.put("seconds", e.seconds());
            perEpoch.add(m);
        }
        return perEpoch;
    }
}
