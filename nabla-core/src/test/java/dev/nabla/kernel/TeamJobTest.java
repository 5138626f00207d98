package dev.nabla.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.atomic.AtomicReferenceArray;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * How the threads of a {@link Team} share a {@link TeamJob}: every unit once, the caller from the first unit up and
 * the workers from the last down, so that each thread keeps to its end of the job's data from one call to the next.
 */
@ExtendWith(RestoreThreads.class)
class TeamJobTest {
    /** Records which thread ran each unit; claims of {@code size} units, or guided (half of what is left) when 0. */
    private static final class Recording extends TeamJob {
        private final int size;
        AtomicReferenceArray<Thread> ranBy;

        Recording(int size) {
            this.size = size;
        }

        @Override
        protected int claimSize(int left) {
            return size > 0 ? size : (left + 1) / 2;
        }

        @Override
        protected void runUnits(int from, int to) {
            for (int u = from; u < to; u++) {
                if (!ranBy.compareAndSet(u, null, Thread.currentThread())) {
                    throw new AssertionError("unit " + u + " ran twice");
                }
                long until = System.nanoTime() + 20_000;   // 20 µs: long enough for the worker to join in
                while (System.nanoTime() < until) {
                    Thread.onSpinWait();
                }
            }
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 1, 3})
    void onTwoThreadsTheCallerRunsAPrefixOfTheUnitsAndTheWorkerTheRest(int claimSize) {
        Parallel.setThreads(2);
        Team team = Team.of(2);
        Recording job = new Recording(claimSize);
        boolean workerJoined = false;
        for (int round = 0; round < 200; round++) {
            int units = 1 + round % 60;
            job.ranBy = new AtomicReferenceArray<>(units);
            job.open(units);
            job.runOn(team);
            int u = 0;
            while (u < units && job.ranBy.get(u) == Thread.currentThread()) {
                u++;
            }
            workerJoined |= u < units;
            for (; u < units; u++) {
                Thread t = job.ranBy.get(u);
                assertTrue(t != null && t != Thread.currentThread(), "round " + round + ": unit " + u + " of " + units
                        + " ran on " + t + ", after the worker's first unit");
            }
        }
        assertTrue(workerJoined, "in 200 jobs the worker never claimed a unit");
    }

    @Test
    void everyUnitRunsOnceOnThreeThreads() {
        Parallel.setThreads(3);
        Team team = Team.of(3);
        Recording job = new Recording(0);
        for (int units = 1; units < 300; units += 7) {
            job.ranBy = new AtomicReferenceArray<>(units);
            job.open(units);
            job.runOn(team);
            for (int u = 0; u < units; u++) {
                assertTrue(job.ranBy.get(u) != null, "unit " + u + " of " + units + " never ran");
            }
        }
        assertEquals(3, Parallel.threads());
    }
}
