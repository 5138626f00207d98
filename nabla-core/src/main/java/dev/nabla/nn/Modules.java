package dev.nabla.nn;

import dev.nabla.tensor.Tensor;
import java.util.ArrayList;
import java.util.List;

/** Transformations of whole models. */
public final class Modules {
    private Modules() {
    }

    /**
     * The model for inference with each {@link BatchNorm1d} that directly follows a {@link Linear} folded into that
     * Linear, so the pair costs one matrix product. In evaluation mode a batch norm is a fixed affine map per
     * feature j, and an affine map of an affine map is one: with σ_j = √(running_var_j + ε) and s_j = γ_j/σ_j,
     * <pre>
     * BN(x·Wᵀ + b)_j = γ_j·(x·W_jᵀ + b_j − running_mean_j)/σ_j + β_j = x·(s_j·W_j)ᵀ + s_j·(b_j − running_mean_j) + β_j
     * W'_j = s_j·W_j,   b'_j = s_j·(b_j − running_mean_j) + β_j
     * </pre>
     * (γ = 1 and β = 0 without {@code affine}; b = 0 for a Linear without bias). W' and b' are computed in double and
     * rounded once, so the outputs equal the unfused model's within float32 rounding. Nested {@link Sequential}s are
     * fused too. A batch norm without running statistics normalises with the batch's even in evaluation mode, so it
     * is left in place.
     *
     * <p><b>Note:</b> the new Linear layers own new tensors, and {@code model} is not changed; every other module
     * of the result is the <em>same instance</em> as in {@code model}, shared rather than copied, so switching one
     * model's mode switches those modules in both. Fuse once training is over.
     *
     * @param model a model in evaluation mode
     * @return a new {@link Sequential} in evaluation mode
     * @throws IllegalStateException when a batch norm of the model is in training mode, where it normalises with
     *                               the batch statistics, which no fixed weights can reproduce
     */
    public static Sequential fuseBatchNorm(Sequential model) {
        for (Module m : model.namedModules().values()) {
            if (m instanceof BatchNorm && m.isTraining()) {
                throw new IllegalStateException("fuseBatchNorm folds the running statistics of batch norm into the "
                        + "previous Linear, but " + m + " is in training mode, where it normalises with the batch "
                        + "statistics instead: call model.eval() first");
            }
        }
        List<Module> layers = new ArrayList<>();
        for (int i = 0; i < model.size(); i++) {
            Module m = model.get(i);
            if (m instanceof Linear linear && i + 1 < model.size() && model.get(i + 1) instanceof BatchNorm1d bn
                    && bn.runningMean() != null) {
                layers.add(fold(linear, bn));
                i++;
            } else if (m instanceof Sequential nested) {
                layers.add(fuseBatchNorm(nested));
            } else {
                layers.add(m);
            }
        }
        Sequential fused = new Sequential(layers);
        fused.eval();
        return fused;
    }

    private static Linear fold(Linear linear, BatchNorm1d bn) {
        int out = linear.outFeatures();
        int in = linear.inFeatures();
        float[] w = linear.weight().data();
        float[] b = linear.bias() == null ? null : linear.bias().data();
        float[] mean = bn.runningMean().data();
        float[] var = bn.runningVar().data();
        float[] gamma = bn.weight() == null ? null : bn.weight().data();
        float[] beta = bn.bias() == null ? null : bn.bias().data();
        Tensor weight = Tensor.zeros(out, in);
        Tensor bias = Tensor.zeros(out);
        for (int j = 0; j < out; j++) {
            double s = (gamma == null ? 1.0 : gamma[j]) / Math.sqrt(var[j] + bn.options().eps());
            for (int k = 0; k < in; k++) {
                weight.data()[j * in + k] = (float) (s * w[j * in + k]);
            }
            bias.data()[j] = (float) (s * ((b == null ? 0.0 : b[j]) - mean[j]) + (beta == null ? 0.0 : beta[j]));
        }
        return new Linear(weight, bias);
    }
}
