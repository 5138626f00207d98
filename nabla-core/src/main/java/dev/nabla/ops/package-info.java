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
 * Div                   | z = x / y                      | dx = g / y, dy = −g ⊙ z / y
 * Exp                   | y = eˣ                         | dx = g · y
 * Log                   | y = ln x                       | dx = g / x
 * Log1p                 | y = ln(1 + x)                  | dx = g / (1 + x)
 * Sqrt                  | y = √x                         | dx = g / (2y)
 * Abs                   | y = |x|                        | dx = g · sign x  (0 at 0)
 * Pow                   | y = xᵖ, p constant             | dx = g · p·xᵖ⁻¹
 * Clamp                 | y = min(max(x, lo), hi)        | dx = g · [lo ≤ x ≤ hi]
 * MaxAlong              | y = max_k x[o,k,i] (or min)    | dx[o,k*,i] = g[o,i] at the first extreme k*, 0 elsewhere
 * VarAlong              | y = Σ_k (x − μ)² / (n − c)     | dx = g · 2(x − μ)/(n − c)
 * Where                 | y = c ? x : y'                 | dx = g · [c],  dy' = g · [¬c]
 * Gather                | y[o,j,i] = x[o, idx[o,j,i], i] | dx[o, idx[o,j,i], i] += g[o,j,i]
 * IndexSelect           | y[o,j,i] = x[o, idx[j], i]     | dx[o, idx[j], i] += g[o,j,i]
 * Bmm                   | y[s] = a[s]·b[s]               | da[s] = g[s]·b[s]ᵀ,  db[s] = a[s]ᵀ·g[s]
 * Sum                   | y = Σ x                        | dx = g
 * Mean                  | y = Σ x / n                    | dx = g / n
 * SumAlong              | y[o,i] = s·Σ_k x[o,k,i], s = 1 | dx[o,k,i] = s·g[o,i]  (g broadcast back along the dim)
 *                       | (sum) or 1/n (mean), one dim   |
 * Slice                 | y[o,k,i] = x[o, a + k·step, i] | dx[o, a + k·step, i] = g[o,k,i], 0 elsewhere
 * Cat                   | y = x₀ ‖ x₁ ‖ … along a dim    | dx_j = x_j's block of g along the dim
 * Permute               | y = x with dims in order p     | dx = g with dims in order p⁻¹
 * Sigmoid               | y = 1/(1 + e^−x)               | dx = g · y(1 − y)
 * Tanh                  | y = tanh x                     | dx = g · (1 − y²)
 * Relu                  | y = max(x, 0)                  | dx = g · [x &gt; 0]
 * LeakyRelu             | y = x or s·x                   | dx = g · (x &gt; 0 ? 1 : s)
 * Elu                   | y = x or α(eˣ − 1)             | dx = g · (x &gt; 0 ? 1 : α·eˣ)
 * Gelu                  | y = x·Φ(x), or ½x(1 + tanh u), | dx = g · (Φ(x) + x·φ(x)), or
 *                       | u = √(2/π)(x + 0.044715x³)     | g · (½(1 + t) + ½x(1 − t²)·√(2/π)(1 + 0.134145x²)), t = tanh u
 * Softmax               | y = e^x / Σ e^x  (along a dim) | dx = y ⊙ (g − ⟨g, y⟩)
 * LogSoftmax            | y = x − log Σ e^x              | dx = g − e^y Σ g
 * SoftmaxCrossEntropy   | L = −Σ_c q_c log softmax(z)_c  | dz = g · (softmax(z)·Σq − q),  dt = −g w (1 − ε) log softmax(z)
 * NllLoss               | L = −w_t x_t                   | dx_t = −g · w_t
 * KlDiv                 | L = y (log y − x)              | dx = −g y,   dy = g (log y + 1 − x)
 * BceWithLogits         | L = (1−y)x + (1+(pw−1)y)sp(−x) | dx = g((1−y) − (1+(pw−1)y)σ(−x)),  dy = g(−x + (pw−1)sp(−x))
 * Bce                   | L = −(y log x + (1−y)log(1−x)) | dx = g (x − y)/(x(1 − x)),  dy = g (log(1−x) − log x)
 * Mse                   | L = (x − y)²                   | dx = 2g(x − y),  dy = −2g(x − y)
 * L1                    | L = |x − y|                    | dx = g·sign(x − y),  dy = −dx
 * SmoothL1              | L = ½d²/β if |d| &lt; β, else   | dx = g·d/β inside, g·sign d outside,  dy = −dx
 *                       | |d| − ½β  (d = x − y)          |
 * Huber                 | L = ½d² if |d| &lt; δ, else     | dx = g·d inside, g·δ·sign d outside,  dy = −dx
 *                       | δ(|d| − ½δ)                    |
 * Dropout               | y = x · m, m ∈ {0, 1/(1−p)}    | dx = g · m
 * Conv2d                | Y_g = W_g·X_col + b per group, | dW_g = G·X_colᵀ,  db = Σ_{n,i,j} g,
 *                       | X_col = im2col(x): a row per   | dx = col2im(W_gᵀ·G): each pixel gets the sum over
 *                       | tap, a column per output place | the taps that read it (the transposed convolution)
 * MaxPool2d             | y = max of the window          | dx[argmax] += g  (the chosen entry; 0 for the others)
 * AvgPool2d             | y = Σ window / divisor         | dx += g / divisor  over the window (fixed or adaptive)
 * BatchNorm             | y = γ·x̂ + β, x̂ = (x − μ)/σ,    | batch μ, v (training):
 *                       | σ = √(v + ε); μ, v per channel | dx = γ/(M·σ) · (M·g − Σ g − x̂·Σ g·x̂)
 *                       | over its M = N·S values        | running μ, v (eval): dx = γ·g/σ
 *                       |                                | dγ = Σ g·x̂, dβ = Σ g (per channel)
 * LayerNorm             | y = γ⊙x̂ + β, x̂ = (x − μ)/σ;    | dx = (ĝ − Σ ĝ/D − x̂·Σ ĝ·x̂/D) / σ, ĝ = g⊙γ
 *                       | μ, v per row of D values       | dγ = Σ_rows g⊙x̂, dβ = Σ_rows g
 * GroupNorm             | as LayerNorm, a row = one      | as LayerNorm with ĝ = g·γ_c, M for D;
 *                       | sample's group, M values; γ_c  | dγ_c = Σ g·x̂, dβ_c = Σ g (per channel)
 * FlatSlices            | y = piece₀ ‖ piece₁ ‖ …, piece | dx = each of g's pieces at its place in its input,
 *                       | k = x_{s_k}[a_k, a_k + n_k)    | 0 elsewhere (row-major values)
 * RnnLayer              | h_t = f(a_t), f = tanh or relu | per step back from T: dh = g_t + dh_rec, da = dh·f′(a) (from h_t),
 *                       | a_t = W_ih x_t + b_ih          | dh_rec = da·W_hh;  then over all steps: dW_ih = daᵀ·X,
 *                       |       + W_hh h_{t−1} + b_hh    | dW_hh = daᵀ·H_prev, dX = da·W_ih, db_ih = db_hh = Σ_rows da
 * LstmLayer             | i,f,o = σ(a_·), g = tanh(a_g)  | dc_t = dc_rec + dh⊙o⊙(1 − tanh²c_t), da_o = dh⊙tanh c_t⊙o(1−o),
 *                       | c_t = f⊙c_{t−1} + i⊙g          | da_i = dc_t⊙g⊙i(1−i), da_g = dc_t⊙i⊙(1−g²),
 *                       | h_t = o⊙tanh(c_t)              | da_f = dc_t⊙c_{t−1}⊙f(1−f), dc_rec = dc_t⊙f; rest as RnnLayer
 * GruLayer              | r,z = σ(gi + gh), gh = W_hh h  | dz = dh⊙(h_{t−1} − n), dn = dh⊙(1 − z), da_n = dn⊙(1 − n²),
 *                       | + b_hh, n = tanh(gi_n + r⊙gh_n)| dr = da_n⊙gh_n; d gi = [da_r, da_z, da_n], d gh = [da_r, da_z,
 *                       | h_t = (1 − z)⊙n + z⊙h_{t−1}    | da_n⊙r], dh_rec = d gh·W_hh + dh⊙z; as RnnLayer with d gi, d gh
 * </pre>
 * In SoftmaxCrossEntropy q is the target distribution with class weights w and label smoothing ε folded in;
 * for one-hot targets and the mean, {@code dz = (softmax(z) − onehot(t)) / N}. sp is softplus, σ the sigmoid.
 * A row with an empty first column continues the one above. The recurrent layers run a whole sequence as one op
 * (backpropagation through time inside); g_t is the output's gradient at step t, dh_rec what comes back from step t + 1.
 * A test fails when a {@link dev.nabla.autograd.Function} subclass of this package is missing from the table.
 */
package dev.nabla.ops;
