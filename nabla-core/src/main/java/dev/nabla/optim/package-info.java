/**
 * Optimizers: {@link SGD}, {@link Adam} and {@link AdamW}, each
 * PyTorch's {@code torch.optim} rule for rule, its exact update written in its class javadoc and pinned by a
 * PyTorch fixture test ({@code tools/fixtures/optim.py}).
 *
 * <p>Every optimizer takes its required arguments (the parameters and the learning rate) in the constructor and
 * the rest as an {@code Options} record, built from {@code Options.defaults()} with {@code with…} methods; each
 * default is a {@code DEFAULT_…} constant of the optimizer class ({@code AdamW} takes {@code Adam.Options}, from
 * {@code AdamW.defaultOptions()}). State (momentum buffers, moments, step
 * counts) is per parameter, allocated once and updated in place.
 */
package dev.nabla.optim;
