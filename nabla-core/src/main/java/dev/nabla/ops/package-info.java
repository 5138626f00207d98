/**
 * Differentiable operations: one class per op, {@code forward} and {@code backward} side by side, the
 * derivative worked out in each class's javadoc. {@link Functional} is the public entry point.
 *
 * <p>The derivative table (g = dL/d(output), y = output; row broadcast sums g over the repeated rows):
 * <pre>
 * op                    | forward                        | backward
 * ----------------------+--------------------------------+----------------------------------------------
 * MatMul                | y = a·b                        | da = g·bᵀ,  db = aᵀ·g
 * Affine (linear)       | y = f(x·Wᵀ + b), f = identity, | dz = g · f′ (from y, as below), then
 *                       | relu, sigmoid or tanh          | dx = dz·W,  dW = dzᵀ·x,  db = Σ_rows dz
 * Add                   | y = x + y                      | dx = g,     dy = g
 * Sub                   | y = x − y                      | dx = g,     dy = −g
 * Mul                   | y = x ⊙ y                      | dx = g ⊙ y, dy = g ⊙ x
 * Sum                   | y = Σ x                        | dx = g
 * Mean                  | y = Σ x / n                    | dx = g / n
 * Sigmoid               | y = 1/(1 + e^−x)               | dx = g · y(1 − y)
 * Tanh                  | y = tanh x                     | dx = g · (1 − y²)
 * Relu                  | y = max(x, 0)                  | dx = g · [x &gt; 0]
 * LeakyRelu             | y = x or s·x                   | dx = g · (x &gt; 0 ? 1 : s)
 * Softmax               | y = e^x / Σ e^x  (along a dim) | dx = y ⊙ (g − ⟨g, y⟩)
 * LogSoftmax            | y = x − log Σ e^x              | dx = g − e^y Σ g
 * SoftmaxCrossEntropy   | L = −Σ_c q_c log softmax(z)_c  | dz = g · (softmax(z)·Σq − q),  dt = −g w (1 − ε) log softmax(z)
 * NllLoss               | L = −w_t x_t                   | dx_t = −g · w_t
 * KlDiv                 | L = y (log y − x)              | dx = −g y,   dy = g (log y + 1 − x)
 * BceWithLogits         | L = (1−y)x + (1+(pw−1)y)sp(−x) | dx = g((1−y) − (1+(pw−1)y)σ(−x)),  dy = g(−x + (pw−1)sp(−x))
 * Bce                   | L = −(y log x + (1−y)log(1−x)) | dx = g (x − y)/(x(1 − x)),  dy = g (log(1−x) − log x)
 * Mse                   | L = (x − y)²                   | dx = 2g(x − y),  dy = −2g(x − y)
 * Dropout               | y = x · m, m ∈ {0, 1/(1−p)}    | dx = g · m
 * BatchNorm             | y = γ·x̂ + β, x̂ = (x − μ)/σ,    | batch μ, v (training):
 *                       | σ = √(v + ε); μ, v per channel | dx = γ/(M·σ) · (M·g − Σ g − x̂·Σ g·x̂)
 *                       | over its M = N·S values        | running μ, v (eval): dx = γ·g/σ
 *                       |                                | dγ = Σ g·x̂, dβ = Σ g (per channel)
 * LayerNorm             | y = γ⊙x̂ + β, x̂ = (x − μ)/σ;    | dx = (ĝ − Σ ĝ/D − x̂·Σ ĝ·x̂/D) / σ, ĝ = g⊙γ
 *                       | μ, v per row of D values       | dγ = Σ_rows g⊙x̂, dβ = Σ_rows g
 * GroupNorm             | as LayerNorm, a row = one      | as LayerNorm with ĝ = g·γ_c, M for D;
 *                       | sample's group, M values; γ_c  | dγ_c = Σ g·x̂, dβ_c = Σ g (per channel)
 * </pre>
 * In SoftmaxCrossEntropy q is the target distribution with class weights w and label smoothing ε folded in;
 * for one-hot targets and the mean, {@code dz = (softmax(z) − onehot(t)) / N}. sp is softplus, σ the sigmoid.
 * A row with an empty first column continues the one above.
 * A test fails when a {@link dev.nabla.autograd.Function} subclass of this package is missing from the table.
 */
package dev.nabla.ops;
