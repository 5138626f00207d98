/**
 * Differentiable operations: one class per op, {@code forward} and {@code backward} side by side, the
 * derivative worked out in each class's javadoc. {@link dev.nabla.ops.Functional} is the public entry point.
 *
 * <p>The derivative table (g = dL/d(output), y = output; row broadcast sums g over the repeated rows):
 * <pre>
 * op                    | forward                        | backward
 * ----------------------+--------------------------------+----------------------------------------------
 * MatMul                | y = a·b                        | da = g·bᵀ,  db = aᵀ·g
 * Affine (linear)       | y = x·Wᵀ + b                   | dx = g·W,   dW = gᵀ·x,  db = Σ_rows g
 * Add                   | y = x + y                      | dx = g,     dy = g
 * Sub                   | y = x − y                      | dx = g,     dy = −g
 * Mul                   | y = x ⊙ y                      | dx = g ⊙ y, dy = g ⊙ x
 * Sum                   | y = Σ x                        | dx = g
 * Mean                  | y = Σ x / n                    | dx = g / n
 * Sigmoid               | y = 1/(1 + e^−x)               | dx = g · y(1 − y)
 * Tanh                  | y = tanh x                     | dx = g · (1 − y²)
 * Relu                  | y = max(x, 0)                  | dx = g · [x &gt; 0]
 * LeakyRelu             | y = x or s·x                   | dx = g · (x &gt; 0 ? 1 : s)
 * Softmax               | y = e^x / Σ e^x                | dx = y ⊙ (g − ⟨g, y⟩)
 * LogSoftmax            | y = x − log Σ e^x              | dx = g − e^y Σ g
 * SoftmaxCrossEntropy   | L = −mean log softmax(z)[t]    | dz = g · (softmax(z) − onehot(t)) / N
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
 * A row with an empty first column continues the one above.
 * A test fails when a {@link dev.nabla.autograd.Function} subclass of this package is missing from the table.
 */
package dev.nabla.ops;
