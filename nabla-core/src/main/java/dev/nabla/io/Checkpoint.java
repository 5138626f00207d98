package dev.nabla.io;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.nabla.nn.Module;
import dev.nabla.optim.LrScheduler;
import dev.nabla.optim.Optimizer;
import dev.nabla.tensor.Rng;
import dev.nabla.tensor.Tensor;
import dev.nabla.train.Checkpointer;
import dev.nabla.train.EpochMetrics;
import dev.nabla.train.Evaluation;
import dev.nabla.train.History;
import dev.nabla.train.TrainingPosition;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A training run's checkpoints in a directory, written as the run goes ({@link #save}) and read to resume it
 * ({@link #restore}). Two files, each written atomically ({@link AtomicFiles}), so that a crash at any moment leaves
 * the last complete checkpoint readable:
 * <ul>
 *   <li>{@value #STATE}: everything a resumed run needs, in one file so that it is always consistent — the model's
 *       state ({@code model.*}), the optimizer's buffers ({@code optimizer.<k>.<buffer>}) and step counts, the
 *       history's per-step figures, and in the metadata the position in the run, the random generators' states,
 *       the per-epoch figures and the caller's configuration;</li>
 *   <li>{@value #MODEL}: the model alone, written after it, which Nabla's {@code predict} and PyTorch's
 *       {@code load_state_dict} read as it is.</li>
 * </ul>
 */
public final class Checkpoint implements Checkpointer {
    /** The file a run resumes from. */
    public static final String STATE = "checkpoint.safetensors";
    /** The model alone. */
    public static final String MODEL = "model.safetensors";
    /** The metadata key of the training state's JSON. */
    static final String TRAINING_KEY = "nabla.training";

    private static final ObjectMapper JSON = new ObjectMapper();
    private final Path dir;
    private final Module model;
    private final Optimizer optimizer;
    private final ModelDescription description;
    private final Map<String, String> config;
    private final LrScheduler schedule;
    private boolean swept;

    /**
     * Checkpoints of {@code model} trained by {@code optimizer}, into {@code dir}.
     *
     * @param description what the model files carry to be rebuilt without code (may be null)
     * @param config      the caller's settings to keep with the run (a command line's arguments, say), given back
     *                    by {@link #config(Path)}
     */
    public Checkpoint(Path dir, Module model, Optimizer optimizer, ModelDescription description,
                      Map<String, String> config) {
        this(dir, model, optimizer, null, description, config);
    }

    /** Checkpoints of a run whose learning rate follows {@code schedule} (saved with it; may be null). */
    public Checkpoint(Path dir, Module model, Optimizer optimizer, LrScheduler schedule, ModelDescription description,
                      Map<String, String> config) {
        this.schedule = schedule;
        this.dir = Objects.requireNonNull(dir, "dir");
        this.model = Objects.requireNonNull(model, "model");
        this.optimizer = Objects.requireNonNull(optimizer, "optimizer");
        this.description = description;
        this.config = Map.copyOf(config);
    }

    /** The directory the checkpoints go to. */
    public Path directory() {
        return dir;
    }

    /** Writes the run's state, then the model alone, each atomically. */
    @Override
    public void save(TrainingPosition position, History history, Map<String, Tensor> best) throws IOException {
        if (!swept) {
            sweepTemporaryFiles();
            swept = true;
        }
        SafeTensors.Writer writer = SafeTensors.writer();
        ModelFile.addState(writer, model, description, "model.");
        Optimizer.State state = optimizer.stateDict();
        for (int k = 0; k < state.params().size(); k++) {
            Optimizer.ParamState ps = state.params().get(k);
            String prefix = "optimizer." + k + ".";
            writer.addInt64(prefix + "step", new long[] {ps.step()});
            ps.buffers().forEach((name, t) -> writer.add(prefix + name, t));
        }
        if (best != null) {
            best.forEach((name, t) -> writer.add("best." + name, t));
        }
        writer.add("history.loss", Tensor.wrap(history.stepLosses(), dev.nabla.tensor.Shape.of(history.steps())));
        writer.addFloat64("history.grad_norm", history.stepGradNorms());
        writer.addFloat64("history.clipped_grad_norm", history.stepClippedGradNorms());
        writer.metadata(TRAINING_KEY, trainingJson(position, history, state.lr()));
        writer.write(dir.resolve(STATE));
        ModelFile.save(dir.resolve(MODEL), model, description);
    }

    /** Removes the temporary files of writes a crash interrupted, which no reader ever takes for a checkpoint. */
    private void sweepTemporaryFiles() throws IOException {
        if (!Files.isDirectory(dir)) {
            return;
        }
        try (var files = Files.list(dir)) {
            for (Path f : files.toList()) {
                String name = f.getFileName().toString();
                if ((name.startsWith("." + STATE) || name.startsWith("." + MODEL)) && name.endsWith(".tmp")) {
                    Files.deleteIfExists(f);
                }
            }
        }
    }

    private String trainingJson(TrainingPosition p, History history, double lr) {
        ObjectNode root = JSON.createObjectNode();
        ObjectNode position = root.putObject("position");
        position.put("epoch", p.epoch());
        position.put("batches_done", p.batchesDone());
        position.put("global_step", p.globalStep());
        position.put("loss_sum", p.lossSum());
        position.put("correct", p.correct());
        position.put("seen", p.seen());
        position.put("epoch_seconds", p.epochSeconds());
        position.put("epoch_lr", p.epochLr());
        position.put("best_epoch", p.bestEpoch());
        position.put("best_loss", p.bestLoss());
        position.put("bad_epochs", p.badEpochs());
        position.put("finished", p.finished());
        root.put("lr", lr);
        if (schedule != null) {
            ObjectNode scheduleState = root.putObject("schedule");
            schedule.stateDict().forEach(scheduleState::put);
        }
        if (history.finalTest() != null) {
            Evaluation t = history.finalTest();
            root.putArray("final_test").add(t.loss()).add(t.accuracy()).add(t.samples()).add(t.mae()).add(t.rmse())
                    .add(t.r2());
        }
        root.put("best_epoch", history.bestEpoch());
        ObjectNode generators = root.putObject("generators");
        model.namedGenerators().forEach((name, rng) -> {
            Rng.State s = rng.state();
            generators.putArray(name).add(s.seed()).add(s.gamma());
        });
        ArrayNode epochs = root.putArray("epochs");
        for (EpochMetrics e : history.epochs()) {
            epochs.addArray().add(e.epoch()).add(e.trainLoss()).add(e.trainAccuracy()).add(e.testLoss())
                    .add(e.testAccuracy()).add(e.seconds()).add(e.samplesPerSecond()).add(e.lr()).add(e.valLoss())
                    .add(e.valAccuracy());
        }
        ObjectNode settings = root.putObject("config");
        config.forEach(settings::put);
        return root.toString();
    }

    /**
     * What {@link #restore} gives back: where the run stood, its history, the best epoch's weights with early
     * stopping (else null) and the configuration saved with it.
     */
    public record Resumed(TrainingPosition position, History history, Map<String, Tensor> best,
                          Map<String, String> config) {
    }

    /**
     * The configuration saved with the checkpoint in {@code dir}, read before the model is built to resume it.
     *
     * @throws NoSuchFileException when {@code dir} holds no checkpoint
     */
    public static Map<String, String> config(Path dir) throws IOException {
        try (SafeTensorsFile in = open(dir)) {
            return read(in).config();
        }
    }

    /**
     * Sets {@code model}, {@code optimizer} and the model's generators to the state saved in {@code dir}, checking
     * everything before changing anything, and returns where the run stood.
     *
     * @throws IllegalArgumentException when the checkpoint was saved from another model or optimizer
     */
    public static Resumed restore(Path dir, Module model, Optimizer optimizer) throws IOException {
        return restore(dir, model, optimizer, null);
    }

    /** {@link #restore(Path, Module, Optimizer)}, and the learning-rate schedule's position. */
    public static Resumed restore(Path dir, Module model, Optimizer optimizer, LrScheduler schedule)
            throws IOException {
        try (SafeTensorsFile in = open(dir)) {
            Saved saved = read(in);
            Map<String, Rng> generators = model.namedGenerators();
            if (!saved.generators().keySet().equals(generators.keySet())) {
                throw new IllegalArgumentException(in.path() + " holds random generators " + saved.generators().keySet()
                        + ", the model " + generators.keySet() + ": it was saved from another model");
            }
            List<Optimizer.ParamState> params = new ArrayList<>();
            for (int k = 0; k < optimizer.parameters().size(); k++) {
                String prefix = "optimizer." + k + ".";
                if (!in.entries().containsKey(prefix + "step")) {
                    throw new IllegalArgumentException(in.path() + " holds no optimizer state for parameter " + k
                            + ": it was saved from another model or optimizer");
                }
                Map<String, Tensor> buffers = in.tensors(prefix);
                buffers.remove("step");
                params.add(new Optimizer.ParamState(in.longs(prefix + "step")[0], buffers));
            }
            Map<String, Double> scheduleState = saved.schedule();
            if (schedule == null ? !scheduleState.isEmpty()
                    : !schedule.stateDict().keySet().equals(scheduleState.keySet())) {
                throw new IllegalArgumentException(in.path() + " was saved with " + (scheduleState.isEmpty()
                        ? "no learning-rate schedule" : "another learning-rate schedule") + " than the run to resume "
                        + "has: resume with the settings it was saved with");
            }
            Map<String, Tensor> best = in.tensors("best.");
            History history = History.of(saved.epochs(), in.tensor("history.loss").data(),
                    in.doubles("history.grad_norm"), in.doubles("history.clipped_grad_norm"));
            history.setOutcome(saved.finalTest(), saved.bestEpoch());
            // everything read and checked: now change the optimizer (which checks its state first), then the model
            // (which checks its own, and on a mismatch the optimizer gets its state back), then the generators
            Optimizer.State before = optimizer.stateDict();
            optimizer.loadStateDict(new Optimizer.State(saved.lr(), params));
            try {
                model.loadStateDict(in.tensors("model."), true);
            } catch (IllegalArgumentException e) {
                optimizer.loadStateDict(before);
                throw new IllegalArgumentException(in.path() + ": " + e.getMessage(), e);
            }
            generators.forEach((name, rng) -> rng.setState(saved.generators().get(name)));
            if (schedule != null) {
                schedule.loadStateDict(scheduleState);
            }
            return new Resumed(saved.position(), history, best.isEmpty() ? null : best, saved.config());
        }
    }

    /** The training state's JSON, read: everything of a checkpoint that is not a tensor. */
    private record Saved(TrainingPosition position, double lr, Map<String, Rng.State> generators,
                         Map<String, Double> schedule, List<EpochMetrics> epochs, Evaluation finalTest, int bestEpoch,
                         Map<String, String> config) {
    }

    private static Saved read(SafeTensorsFile in) throws SafeTensorsException {
        JsonNode root = training(in);
        try {
            JsonNode p = root.get("position");
            TrainingPosition position = new TrainingPosition(p.get("epoch").asInt(), p.get("batches_done").asInt(),
                    p.get("global_step").asLong(), p.get("loss_sum").asDouble(), p.get("correct").asLong(),
                    p.get("seen").asLong(), p.get("epoch_seconds").asDouble(), p.get("epoch_lr").asDouble(),
                    p.get("best_epoch").asInt(), p.get("best_loss").asDouble(), p.get("bad_epochs").asInt(),
                    p.get("finished").asBoolean());
            Map<String, Rng.State> generators = new LinkedHashMap<>();
            root.get("generators").fields().forEachRemaining(e -> generators.put(e.getKey(),
                    new Rng.State(e.getValue().get(0).asLong(), e.getValue().get(1).asLong())));
            Map<String, Double> schedule = new LinkedHashMap<>();
            if (root.has("schedule")) {
                root.get("schedule").fields().forEachRemaining(e -> schedule.put(e.getKey(), e.getValue().asDouble()));
            }
            List<EpochMetrics> epochs = new ArrayList<>();
            for (JsonNode e : root.get("epochs")) {
                epochs.add(new EpochMetrics(e.get(0).asInt(), e.get(1).asDouble(), e.get(2).asDouble(),
                        e.get(3).asDouble(), e.get(4).asDouble(), e.get(5).asDouble(), e.get(6).asDouble(),
                        e.get(7).asDouble(), e.get(8).asDouble(), e.get(9).asDouble()));
            }
            JsonNode test = root.get("final_test");
            Evaluation finalTest = test == null ? null
                    : new Evaluation(test.get(0).asDouble(), test.get(1).asDouble(), test.get(2).asInt(),
                    test.path(3).asDouble(Double.NaN), test.path(4).asDouble(Double.NaN),
                    test.path(5).asDouble(Double.NaN));
            Map<String, String> config = new LinkedHashMap<>();
            root.get("config").fields().forEachRemaining(e -> config.put(e.getKey(), e.getValue().asText()));
            return new Saved(position, root.get("lr").asDouble(), generators, schedule, epochs, finalTest,
                    root.get("best_epoch").asInt(), config);
        } catch (NullPointerException | ClassCastException e) {
            throw new SafeTensorsException(in.path(), "has a training state that lacks a field Nabla writes: it was "
                    + "not written by nabla train");
        }
    }

    private static SafeTensorsFile open(Path dir) throws IOException {
        Path file = dir.resolve(STATE);
        if (!Files.exists(file)) {
            throw new NoSuchFileException(file.toString(), null, "no checkpoint to resume from: train with "
                    + "--checkpoint " + dir + " first");
        }
        return SafeTensors.open(file);
    }

    private static JsonNode training(SafeTensorsFile in) throws SafeTensorsException {
        String json = in.metadata().get(TRAINING_KEY);
        if (json == null) {
            throw new SafeTensorsException(in.path(), "has no training state (metadata '" + TRAINING_KEY
                    + "'): it is not a checkpoint written by nabla train");
        }
        try {
            JsonNode root = JSON.readTree(json);
            if (root.get("config") == null || root.get("position") == null || root.get("generators") == null) {
                throw new SafeTensorsException(in.path(), "has a training state without its position, generators "
                        + "or configuration: it is not a checkpoint written by nabla train");
            }
            return root;
        } catch (JsonProcessingException e) {
            throw new SafeTensorsException(in.path(), "has a training state that is not valid JSON: "
                    + e.getOriginalMessage());
        }
    }
}
