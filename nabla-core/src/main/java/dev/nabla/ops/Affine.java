package dev.nabla.ops;

import dev.nabla.autograd.Function;
import dev.nabla.kernel.Elementwise;
import dev.nabla.kernel.Gemm;
import dev.nabla.tensor.Shape;
import dev.nabla.tensor.Tensor;

/**
 * PyTorch's {@code linear}: {@code y = x · Wᵀ + b} with x {@code [N, in]}, W {@code [out, in]}, b {@code [out]}
 * (optional), y {@code [N, out]}. Fused so the transposed weight is read in place, never copied. Optionally followed
 * by an activation f (relu, sigmoid or tanh), {@code y = f(x · Wᵀ + b)}, applied to each tile of the product as it
 * is computed (the matching {@link Gemm.Epilogue} of {@link Gemm#linear}): no pass of its own over memory, and no
 * tensor for the pre-activation.
 * <p>Backward: with z = x · Wᵀ + b, {@code dz = g · f′(z)}, written from the saved output y as the activation ops
 * do: σ′ = y(1 − y), tanh′ = 1 − y², relu′ = [y &gt; 0] (= [z &gt; 0]); without f, dz = g. Then
 * z_nj = Σ_i x_ni W_ji + b_j gives {@code dx = dz · W} ({@code [N, out]·[out, in]}), {@code dW = dzᵀ · x}
 * ({@code [out, N]·[N, in]}) and {@code db = Σ_n dz_n} (column sums). A parameter's dW and db are accumulated
 * straight into its gradient buffer. Same bits as the separate ops.
 */
final class Affine extends Function {
    private final Gemm.Epilogue activation;
    private Tensor x;
    private Tensor w;
    private Tensor y;

    /** The affine map alone. */
    Affine() {
        this.activation = Gemm.Epilogue.NONE;
    }

    /** The affine map followed by {@code activation}, one of those that {@link Activation#fusesIntoLinear()}. */
    Affine(Activation activation) {
        this.activation = switch (activation) {
            case RELU -> Gemm.Epilogue.RELU;
            case SIGMOID -> Gemm.Epilogue.SIGMOID;
            case TANH -> Gemm.Epilogue.TANH;
            case LEAKY_RELU -> throw new IllegalArgumentException("linear applies relu, sigmoid or tanh inside the "
                    + "product, not " + activation + ": apply it as an op of its own");
        };
    }

    @Override
    protected Tensor forward(Tensor... in) {
        x = in[0];
        w = in[1];
        Tensor b = in[2];
        if (x.rank() != 2 || w.rank() != 2 || x.dim(1) != w.dim(1)) {
            throw new IllegalArgumentException("linear: input " + x.shape() + " does not fit weight " + w.shape()
                    + ": the input must be [N, " + (w.rank() == 2 ? w.dim(1) : "in") + "] for a weight [out, in]");
        }
        if (b != null && (b.rank() != 1 || b.dim(0) != w.dim(0))) {
            throw new IllegalArgumentException("linear: bias " + b.shape() + " must be [" + w.dim(0)
                    + "], one value per output feature of weight " + w.shape());
        }
        int n = x.dim(0);
        int inFeatures = w.dim(1);
        int outFeatures = w.dim(0);
        Tensor out = Tensor.activationBuffer(Shape.of(n, outFeatures));
        Gemm.linear(x.data(), w.data(), b == null ? null : b.data(), activation, out.data(), n, inFeatures, outFeatures);
        if (activation != Gemm.Epilogue.NONE) {
            y = out;   // f′ is read from the output
        }
        return out;
    }

    @Override
    protected Tensor[] backward(Tensor gradOutput) {
        Tensor g = gradOutput;
        if (activation != Gemm.Epilogue.NONE) {
            g = Tensor.gradientBuffer(y.shape());
            switch (activation) {
                case RELU -> Elementwise.reluBackward(y.data(), gradOutput.data(), g.data());
                case SIGMOID -> Elementwise.sigmoidBackward(y.data(), gradOutput.data(), g.data());
                case TANH -> Elementwise.tanhBackward(y.data(), gradOutput.data(), g.data());
                default -> throw new IllegalStateException("no derivative for " + activation);
            }
        }
        int n = x.dim(0);
        int inFeatures = w.dim(1);
        int outFeatures = w.dim(0);
        Tensor dx = null;
        Tensor dw = null;
        Tensor db = null;
        if (needsInputGrad(0)) {
            dx = Tensor.gradientBuffer(x.shape());
            Gemm.ab(g.data(), w.data(), dx.data(), n, outFeatures, inFeatures, false);
        }
        float[] gd = g.data();
        float[] xd = x.data();
        if (isLeafInput(1)) {
            w.accumulateGrad((buf, overwrite) -> Gemm.atb(gd, xd, buf, outFeatures, n, inFeatures, !overwrite));
        } else if (needsInputGrad(1)) {
            dw = Tensor.gradientBuffer(w.shape());
            Gemm.atb(gd, xd, dw.data(), outFeatures, n, inFeatures, false);
        }
        Tensor b = inputs()[2];
        if (isLeafInput(2)) {
            b.accumulateGrad((buf, overwrite) -> Elementwise.sumRows(gd, buf, overwrite));
        } else if (needsInputGrad(2)) {
            db = Tensor.zeros(outFeatures);
            Elementwise.sumRows(gd, db.data());
        }
        return new Tensor[] {dx, dw, db};
    }
}
