package dev.nabla.ops;

import dev.nabla.tensor.Tensor;

/**
 * What {@link Functional#recurrent} returns: the last layer's hidden state at every step, and every layer's final
 * hidden (and, for the LSTM, cell) state.
 *
 * @param output {@code [T, N, D·H]} ({@code [N, T, D·H]} batch first), D = 2 when bidirectional, else 1
 * @param hN     {@code [L·D, N, H]}: layer l's direction d at row l·D + d
 * @param cN     as hN, the cell states; null except for the LSTM
 */
public record RecurrentResult(Tensor output, Tensor hN, Tensor cN) {
}
