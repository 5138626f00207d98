package dev.nabla.tensor;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * The reverse-mode walk behind {@link Tensor#backward()}: orders the graph topologically from the root, then
 * visits each tensor after every tensor that reads it, so its gradient is complete (summed over all uses)
 * before it is passed on to its own inputs.
 */
final class Backprop {
    private Backprop() {
    }

    static void run(Tensor root, Tensor seed, boolean retainGraph) {
        if (!root.requiresGrad()) {
            throw new IllegalStateException("backward() on a tensor that does not require grad: no input of the "
                    + "computation was marked. Call requiresGrad(true) on the inputs (module parameters are marked "
                    + "already), and make sure the computation did not run inside a NoGrad scope.");
        }
        if (seed == null) {
            if (root.size() != 1) {
                throw new IllegalStateException("backward() needs a scalar (one value), but this tensor has shape "
                        + root.shape() + ". Reduce it first (sum or mean), or call backward(gradient) with dL/d(tensor).");
            }
            seed = Tensor.full(1f, root.shape().dims());
        } else if (!seed.shape().equals(root.shape())) {
            throw new IllegalArgumentException("backward(gradient): gradient shape " + seed.shape()
                    + " differs from the tensor's shape " + root.shape());
        }

        List<Tensor> order = topologicalOrder(root);
        GradientPool pool = new GradientPool();
        GradientPool outer = pool.open();
        try {
            walk(order, root, seed, pool);
        } finally {
            pool.close(outer);
        }
        if (!retainGraph) {
            for (Tensor t : order) {
                if (t.gradFn() != null) {
                    t.gradFn().release();
                }
            }
        }
    }

    /** Visits {@code order} from the root down, passing gradients back; arrays the walk is done with go to {@code pool}. */
    private static void walk(List<Tensor> order, Tensor root, Tensor seed, GradientPool pool) {
        Map<Tensor, Tensor> pending = new IdentityHashMap<>();
        Map<Tensor, Boolean> owned = new IdentityHashMap<>();   // pending gradients we allocated and may add into
        List<Tensor> consumed = new ArrayList<>();
        pending.put(root, seed);
        for (int i = order.size() - 1; i >= 0; i--) {
            Tensor t = order.get(i);
            Tensor g = pending.remove(t);
            if (g == null) {
                continue;   // no path from the root carries a gradient here
            }
            pool.release(g);
            GradFn fn = t.gradFn();
            if (fn == null) {
                t.accumulateGrad(g);
                pool.recycle(g);
                continue;
            }
            Tensor[] inputs = fn.inputs();
            Tensor[] grads = fn.applyBackward(g);
            consumed.clear();
            consumed.add(g);
            for (int k = 0; k < inputs.length; k++) {
                Tensor in = inputs[k];
                if (in == null || !in.requiresGrad() || grads[k] == null) {
                    continue;
                }
                if (!grads[k].shape().equals(in.shape())) {
                    throw new IllegalStateException(fn.name() + ".backward returned a gradient of shape "
                            + grads[k].shape() + " for input " + k + " of shape " + in.shape());
                }
                Tensor prev = pending.get(in);
                if (prev == null) {
                    pending.put(in, grads[k]);
                    pool.hold(grads[k]);
                } else if (owned.containsKey(in)) {
                    add(prev.data(), grads[k].data());
                    consumed.add(grads[k]);
                } else {
                    Tensor sum = Tensor.wrap(pool.take(prev.size()), prev.shape());
                    System.arraycopy(prev.data(), 0, sum.data(), 0, prev.size());
                    add(sum.data(), grads[k].data());
                    pending.put(in, sum);
                    pool.hold(sum);
                    pool.release(prev);
                    owned.put(in, Boolean.TRUE);
                    consumed.add(prev);
                    consumed.add(grads[k]);
                }
            }
            for (Tensor c : consumed) {   // after every hold above: an array passed on stays in use
                pool.recycle(c);
            }
            pool.recycleScratch();
        }
    }

    private static void add(float[] acc, float[] g) {
        for (int i = 0; i < acc.length; i++) {
            acc[i] += g[i];
        }
    }

    /** Tensors reachable from the root through grad functions, each after all of its inputs. Iterative, so deep
     *  graphs do not overflow the stack. */
    private static List<Tensor> topologicalOrder(Tensor root) {
        List<Tensor> order = new ArrayList<>();
        Map<Tensor, Boolean> visited = new IdentityHashMap<>();
        ArrayDeque<Object[]> stack = new ArrayDeque<>();   // {tensor, next input index}
        stack.push(new Object[] {root, 0});
        visited.put(root, Boolean.TRUE);
        while (!stack.isEmpty()) {
            Object[] frame = stack.peek();
            Tensor t = (Tensor) frame[0];
            Tensor[] inputs = t.gradFn() == null ? new Tensor[0] : t.gradFn().inputs();
            int next = (Integer) frame[1];
            while (next < inputs.length && (inputs[next] == null || !inputs[next].requiresGrad()
                    || visited.containsKey(inputs[next]))) {
                next++;
            }
            if (next < inputs.length) {
                frame[1] = next + 1;
                visited.put(inputs[next], Boolean.TRUE);
                stack.push(new Object[] {inputs[next], 0});
            } else {
                stack.pop();
                order.add(t);
            }
        }
        return order;
    }
}
