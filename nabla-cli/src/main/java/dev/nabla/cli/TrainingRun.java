package dev.nabla.cli;

import dev.nabla.data.Dataset;
import dev.nabla.loss.RegressionLoss;
import dev.nabla.nn.ModelSpec;
import dev.nabla.nn.Module;
import dev.nabla.optim.OptimizerFactory;
import dev.nabla.train.Trainer;
import java.io.PrintWriter;

/**
 * What {@code nabla train} hands to {@link TrainCommand#fit} once everything is checked and built: the run to train.
 *
 * @param trainer   the configured trainer
 * @param model     the network it trains
 * @param spec      the network's spec, from which a copy can be built elsewhere
 * @param split     the training and test data
 * @param regressionLoss the loss of a regression model ({@code --loss}), or null for a classifier (cross-entropy)
 * @param batchSize samples per step
 * @param seed      the run's seed
 * @param shards    the data-parallel shards, or 0
 * @param syncBatchNorm whether BatchNorm normalises the shards with the whole batch's statistics
 * @param optimizer the optimizer's recipe, for workers that step their own
 * @param clipValue {@code --clip-value}, or null
 * @param clipNorm  {@code --clip-norm}, or null
 * @param log       where the run's progress lines go
 */
public record TrainingRun(Trainer trainer, Module model, ModelSpec spec, Dataset.Split split,
                          RegressionLoss regressionLoss,
                          int batchSize, long seed, int shards, boolean syncBatchNorm, OptimizerFactory optimizer,
                          Double clipValue, Double clipNorm, PrintWriter log) {
}
