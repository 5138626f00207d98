package dev.nabla.optim;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** RMSprop and Adagrad against PyTorch's trajectories (tools/fixtures/optim.py). */
class RmspropAdagradTest {
    static Stream<String> rmspropCases() {
        return FixtureRun.cases("rmsprop_");
    }

    static Stream<String> adagradCases() {
        return FixtureRun.cases("adagrad_");
    }

    @ParameterizedTest
    @MethodSource("rmspropCases")
    void rmspropFollowsPyTorch(String name) {
        JsonNode o = FixtureRun.options(name);
        FixtureRun.replay(name, params -> new RMSprop(params, o.get("lr").asDouble(), new RMSprop.Options(
                o.get("alpha").asDouble(), o.get("eps").asDouble(), o.get("weight_decay").asDouble(),
                o.get("momentum").asDouble(), o.get("centered").asBoolean())));
    }

    @ParameterizedTest
    @MethodSource("adagradCases")
    void adagradFollowsPyTorch(String name) {
        JsonNode o = FixtureRun.options(name);
        FixtureRun.replay(name, params -> new Adagrad(params, o.get("lr").asDouble(), new Adagrad.Options(
                o.get("lr_decay").asDouble(), o.get("weight_decay").asDouble(),
                o.get("initial_accumulator_value").asDouble(), o.get("eps").asDouble())));
    }
}
