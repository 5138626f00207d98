package dev.nabla.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicIntegerArray;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** {@link Parallel#forRange} on the shared {@link Team}: every index once, nesting, failures, the thread count. */
@ExtendWith(RestoreThreads.class)
class ParallelTest {
    @ParameterizedTest
    @ValueSource(ints = {1, 2, 3})
    void everyIndexIsVisitedExactlyOnce(int threads) {
        Parallel.setThreads(threads);
        for (int n : new int[] {0, 1, 2, 3, 7, 100, 4097}) {
            for (int round = 0; round < 50; round++) {
                AtomicIntegerArray visits = new AtomicIntegerArray(n);
                Parallel.forRange(n, Long.MAX_VALUE, (from, to) -> {
                    for (int i = from; i < to; i++) {
                        visits.incrementAndGet(i);
                    }
                });
                for (int i = 0; i < n; i++) {
                    assertEquals(1, visits.get(i), "n=" + n + ", threads=" + threads + ", index " + i);
                }
            }
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {2, 3})
    void largeWorkUsesTheWorkersAndSmallWorkStaysOnTheCaller(int threads) {
        Parallel.setThreads(threads);
        Set<Thread> seen = ConcurrentHashMap.newKeySet();
        Parallel.forRange(1000, Parallel.MIN_WORK - 1, (from, to) -> seen.add(Thread.currentThread()));
        assertEquals(Set.of(Thread.currentThread()), seen);
        // The workers spin between jobs; over many jobs each gets some chunks.
        for (int round = 0; round < 2000 && seen.size() < threads; round++) {
            Parallel.forRange(threads, Long.MAX_VALUE, (from, to) -> {
                seen.add(Thread.currentThread());
                long until = System.nanoTime() + 20_000;
                while (System.nanoTime() < until) {
                    Thread.onSpinWait();
                }
            });
        }
        assertEquals(threads, seen.size(), "threads that ran chunks: " + seen);
    }

    @ParameterizedTest
    @ValueSource(ints = {2, 3})
    void aLoopStartedInsideAChunkRunsOnItsThread(int threads) {
        Parallel.setThreads(threads);
        int n = 64;
        AtomicIntegerArray visits = new AtomicIntegerArray(n * n);
        Parallel.forRange(n, Long.MAX_VALUE, (from, to) -> {
            for (int i = from; i < to; i++) {
                int row = i;
                Parallel.forRange(n, Long.MAX_VALUE, (f, t) -> {
                    for (int j = f; j < t; j++) {
                        visits.incrementAndGet(row * n + j);
                    }
                });
            }
        });
        for (int i = 0; i < n * n; i++) {
            assertEquals(1, visits.get(i), "index " + i);
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 2})
    void aFailingChunkFailsTheLoopAndTheTeamGoesOn(int threads) {
        Parallel.setThreads(threads);
        var e = assertThrows(IllegalStateException.class, () -> Parallel.forRange(100, Long.MAX_VALUE, (from, to) -> {
            if (to == 100) {
                throw new IllegalStateException("chunk failed at " + from);
            }
        }));
        assertTrue(e.getMessage().startsWith("chunk failed at "), e.getMessage());
        AtomicIntegerArray visits = new AtomicIntegerArray(100);
        Parallel.forRange(100, Long.MAX_VALUE, (from, to) -> {
            for (int i = from; i < to; i++) {
                visits.incrementAndGet(i);
            }
        });
        for (int i = 0; i < 100; i++) {
            assertEquals(1, visits.get(i));
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {0, -1})
    void aThreadCountBelowOneIsRejected(int threads) {
        var e = assertThrows(IllegalArgumentException.class, () -> Parallel.setThreads(threads));
        assertEquals("threads must be at least 1, got " + threads, e.getMessage());
    }
}
