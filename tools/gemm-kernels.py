#!/usr/bin/env python3
"""Writes nabla-core/src/main/java/dev/nabla/kernel/GemmKernels.java.

The GEMM micro-kernels keep their C tile in registers as separate FloatVector locals (an array of vectors
would live in memory and box), so each tile shape is its own method of repetitive code. This script writes
them, and the L x L block transposes, so that the pattern is stated once. Run it from the project root after
changing a shape:  python3 tools/gemm-kernels.py
With --stdout it prints the file instead of writing it; GemmKernelsGeneratedTest compares that with the committed
file, byte for byte.
"""
import argparse
import os
import sys

# (rows, vectors per row, measured efficiency): the tile shapes offered, widest species first. The efficiency
# is the in-cache speed relative to the best kernel (AVX-512, kc = 256), used to choose a kernel per shape.
WIDE = [(14, 2, 1.00), (12, 2, 1.00), (8, 3, 0.98), (16, 1, 0.66)]     # 32 vector registers (AVX-512)
NARROW = [(6, 2, 1.00), (8, 1, 0.66)]                                   # 16 vector registers (AVX2, NEON)
# (rows of A, rows of Bt) of the dot-product kernels, for 32 and for 16 vector registers
DOT_WIDE = (3, 5)
DOT_NARROW = (2, 4)

OUT = os.path.join(os.path.dirname(__file__), "..", "nabla-core", "src", "main", "java", "dev", "nabla",
                   "kernel", "GemmKernels.java")


def off(base, row, ld, vec):
    s = base
    if row:
        s += f" + {ld}" if row == 1 else f" + {row} * {ld}"
    if vec:
        s += f" + {vec} * L" if vec > 1 else " + L"
    return s


def kernel(mr, nv, load):
    acc = [[f"c{r}{'_' + str(v) if nv > 1 else ''}" for v in range(nv)] for r in range(mr)]
    name = f"k{mr}x{nv}{'' if load else 'z'}"
    start = "loaded from C" if load else "started from zero"
    out = [f"    /** The {mr} × {nv}·L tile, {start}: {mr * nv} accumulators, {nv} B vector(s), 1 broadcast. */",
           f"    static void {name}(int kc, float[] a, int ao, int ars, int aks, float[] b, int bo, int bs,",
           f"                       float[] c, int co, int ldc) {{"]
    if load:
        for r in range(mr):
            out.append("        " + " ".join(f"FloatVector {acc[r][v]} = FloatVector.fromArray(S, c, {off('co', r, 'ldc', v)});"
                                          for v in range(nv)))
    else:
        out.append("        FloatVector zero = FloatVector.zero(S);")
        for r in range(mr):
            out.append("        FloatVector " + ", ".join(f"{x} = zero" for x in acc[r]) + ";")
    for r in range(1, mr):
        out.append(f"        int a{r} = ao + {r if r > 1 else ''}{' * ' if r > 1 else ''}ars;")
    out.append("        for (int p = 0, ap = 0, bp = bo; p < kc; p++, ap += aks, bp += bs) {")
    for v in range(nv):
        out.append(f"            FloatVector b{v} = FloatVector.fromArray(S, b, {off('bp', 0, '', v)});")
    out.append("            FloatVector x;")
    for r in range(mr):
        fmas = " ".join(f"{acc[r][v]} = x.fma(b{v}, {acc[r][v]});" for v in range(nv))
        out.append(f"            x = FloatVector.broadcast(S, a[{'a' + str(r) if r else 'ao'} + ap]); {fmas}")
    out.append("        }")
    for r in range(mr):
        out.append("        " + " ".join(f"{acc[r][v]}.intoArray(c, {off('co', r, 'ldc', v)});" for v in range(nv)))
    out.append("    }")
    return out


def dot(rows, cols):
    acc = [f"c{r}{c}" for r in range(rows) for c in range(cols)]
    out = [f"    /**",
           f"     * The {rows} × {cols} dot-product tile: {{@code sums[r·{cols} + c] = Σ_p a[ar + p]·b[bc + p]}} for {{@code p < k}},",
           f"     * with ar the offset of row r of A ({', '.join(f'a{r}' for r in range(rows))}) and bc that of row c of",
           f"     * Bᵀ ({', '.join(f'b{c}' for c in range(cols))}). Lane l of accumulator (r, c) sums the products with",
           f"     * p ≡ l (mod L), p &lt; k − k mod L, by fused multiply-adds in order of p; the lanes are added in a fixed",
           f"     * tree (FOLD_LO, FOLD_HI); the last k mod L products are then added by fused multiply-adds in order of p.",
           f"     * <b>Note:</b> no masked loads, which leave the intrinsic when the whole vector is not inside the array",
           f"     * and then box every vector of the method. Reads a and b; writes sums[0, {rows * cols}) and",
           f"     * may write up to sums[{(rows * cols + 15) // 16 * 16}).",
           f"     */",
           f"    static void dot{rows}x{cols}(int k, float[] a, {', '.join(f'int a{r}' for r in range(rows))}, float[] b,",
           f"                        {', '.join(f'int b{c}' for c in range(cols))}, float[] sums) {{",
           f"        FloatVector {', '.join(f'{x} = FloatVector.zero(S)' for x in acc[:4])};"]
    for i in range(4, len(acc), 4):
        out.append(f"        FloatVector {', '.join(f'{x} = FloatVector.zero(S)' for x in acc[i:i + 4])};")
    def body(load, indent):
        lines = []
        for r in range(rows):
            lines.append(f"{indent}FloatVector x{r} = {load('a', f'a{r}')};")
        for c in range(cols):
            lines.append(f"{indent}FloatVector y = {load('b', f'b{c}')};" if c == 0 else f"{indent}y = {load('b', f'b{c}')};")
            lines.append(indent + " ".join(f"c{r}{c} = x{r}.fma(y, c{r}{c});" for r in range(rows)))
        return lines
    out.append("        int p = 0;")
    out.append("        for (; p <= k - L; p += L) {")
    out.extend(body(lambda arr, o: f"FloatVector.fromArray(S, {arr}, {o} + p)", "            "))
    out.append("        }")
    out.append("        if (L == 16) {")
    out.extend(tree(acc, 16, "            "))
    out.append("        } else {")
    out.extend(tree(acc, 8, "            "))
    out.append("        }")
    out.append("        for (; p < k; p++) {")
    for r in range(rows):
        for c in range(cols):
            out.append(f"            sums[{r * cols + c}] = Math.fma(a[a{r} + p], b[b{c} + p], sums[{r * cols + c}]);")
    out.append("        }")
    out.append("    }")
    return out


def tree(acc, lanes, indent):
    """Sums the lanes of each accumulator into sums[i], L at a time, in the fixed order of FOLD_LO/FOLD_HI."""
    out = []
    rounds = lanes.bit_length() - 1
    for rnd in range(rounds):
        out.append(f"{indent}FloatVector lo{rnd} = FloatVector.fromArray(S, FOLD_LO, {rnd * lanes});")
        out.append(f"{indent}FloatVector hi{rnd} = FloatVector.fromArray(S, FOLD_HI, {rnd * lanes});")
    for g in range(0, len(acc), lanes):
        cur = acc[g:g + lanes] + ["z"] * (lanes - len(acc[g:g + lanes]))
        if "z" in cur:
            out.append(f"{indent}FloatVector z = FloatVector.zero(S);")
        for rnd in range(rounds):
            half = len(cur) // 2
            nxt = []
            for i in range(half):
                name = f"s{g // lanes}_{rnd}_{i}"
                out.append(f"{indent}FloatVector {name} = lo{rnd}.selectFrom({cur[i]}, {cur[i + half]})"
                           f".add(hi{rnd}.selectFrom({cur[i]}, {cur[i + half]}));")
                nxt.append(name)
            cur = nxt
        out.append(f"{indent}{cur[0]}.intoArray(sums, {g});")
    return out


def transpose(lanes):
    rounds = lanes.bit_length() - 1
    out = [f"    /**",
           f"     * Transposes the {lanes} × {lanes} block whose row r starts at {{@code src[rows[r] + s]}} into {{@code dst}}: row t of",
           f"     * the result, which is column t of the block, goes to {{@code dst[d + t·ldd]}}. {rounds} rounds of interleaving",
           f"     * row i with row i + {lanes // 2}.",
           f"     */",
           f"    static void transpose{lanes}(float[] src, int[] rows, int s, float[] dst, int d, int ldd) {{",
           f"        FloatVector lo = FloatVector.fromArray(S, ZIP_LO, 0);",
           f"        FloatVector hi = FloatVector.fromArray(S, ZIP_HI, 0);"]
    for r in range(lanes):
        out.append(f"        FloatVector r{r} = FloatVector.fromArray(S, src, rows[{r}] + s);")
    out.append("        FloatVector " + ", ".join(f"t{r}" for r in range(lanes)) + ";")
    cur, nxt = "r", "t"
    half = lanes // 2
    for _ in range(rounds):
        for i in range(half):
            out.append(f"        {nxt}{2 * i} = lo.selectFrom({cur}{i}, {cur}{i + half}); "
                       f"{nxt}{2 * i + 1} = hi.selectFrom({cur}{i}, {cur}{i + half});")
        cur, nxt = nxt, cur
    for r in range(lanes):
        out.append(f"        {cur}{r}.intoArray(dst, d + {r} * ldd);" if r else f"        {cur}0.intoArray(dst, d);")
    out.append("    }")
    return out


def transpose_columns(lanes):
    rounds = lanes.bit_length() - 1
    out = [f"    /**",
           f"     * Transposes {lanes} rows of {{@code width}} ≤ {lanes} floats, row t at {{@code src[s + t·ld]}}: column j goes to",
           f"     * {{@code dst[d + j·ldd, + {lanes})}} for j &lt; width. Loads whole rows of {lanes} floats (the floats past width are",
           f"     * transposed and dropped), so {{@code src[s + {lanes - 1}·ld, + {lanes})}} must be inside the array.",
           f"     */",
           f"    static void transposeColumns{lanes}(float[] src, int s, int ld, int width, float[] dst, int d, int ldd) {{",
           f"        FloatVector lo = FloatVector.fromArray(S, ZIP_LO, 0);",
           f"        FloatVector hi = FloatVector.fromArray(S, ZIP_HI, 0);"]
    for r in range(lanes):
        out.append(f"        FloatVector r{r} = FloatVector.fromArray(S, src, s{' + ' + (str(r) + ' * ld' if r > 1 else 'ld') if r else ''});")
    out.append("        FloatVector " + ", ".join(f"t{r}" for r in range(lanes)) + ";")
    cur, nxt = "r", "t"
    half = lanes // 2
    for _ in range(rounds):
        for i in range(half):
            out.append(f"        {nxt}{2 * i} = lo.selectFrom({cur}{i}, {cur}{i + half}); "
                       f"{nxt}{2 * i + 1} = hi.selectFrom({cur}{i}, {cur}{i + half});")
        cur, nxt = nxt, cur
    out.append(f"        {cur}0.intoArray(dst, d);")
    for r in range(1, lanes):
        out.append(f"        if (width > {r}) {{")
        out.append(f"            {cur}{r}.intoArray(dst, d + {r if r > 1 else ''}{' * ' if r > 1 else ''}ldd);")
        out.append(f"        }}")
    out.append("    }")
    return out


def main():
    parser = argparse.ArgumentParser(description="Writes " + os.path.relpath(OUT) + ".")
    parser.add_argument("--stdout", action="store_true", help="print the file (UTF-8) instead of writing it")
    args = parser.parse_args()
    shapes = WIDE + NARROW
    lines = [
        "package dev.nabla.kernel;",
        "",
        "import jdk.incubator.vector.FloatVector;",
        "import jdk.incubator.vector.VectorMask;",
        "import jdk.incubator.vector.VectorSpecies;",
        "",
        "/**",
        " * The register-blocked micro-kernels of {@link VectorGemm}, and the block transposes of its packing.",
        " * <b>Generated by {@code tools/gemm-kernels.py}; change the script, not this file.</b>",
        " *",
        " * <p>A kernel {@code kMRxNV} computes one MR × NV·L tile of C (L = floats per vector) as MR·NV vector",
        " * accumulators held in registers: per step p of k it loads NV vectors of B, broadcasts MR scalars of A and",
        " * issues MR·NV fused multiply-adds. The accumulators are separate {@code FloatVector} locals because C2",
        " * keeps such locals in registers; an array of vectors would be memory and would box. The shapes are sized",
        " * to the register file: with 32 vector registers (AVX-512) 14 × 2 uses 28 accumulators + 2 B + 1",
        " * broadcast = 31; with 16 (AVX2) 6 × 2 uses 12 + 2 + 1 = 15.",
        " *",
        " * <p>Operands, for {@code p < kc}, {@code r < MR}, {@code v < NV}:",
        " * <ul>",
        " * <li>A value (row r, step p) at {@code a[ao + r·ars + p·aks]}: a packed panel has ars = 1, aks = MR or",
        " *     ars = ld, aks = 1, and A read in place is row-major (ars = lda, aks = 1) or stored transposed",
        " *     (ars = 1, aks = lda);</li>",
        " * <li>B vector (step p, vector v) at {@code b[bo + p·bs + v·L]}: a packed panel (bs = NV·L) or B's own rows",
        " *     (bs = ldb);</li>",
        " * <li>C element (r, column j) at {@code c[co + r·ldc + j]}.</li>",
        " * </ul>",
        " * With {@code load} every accumulator starts from C, otherwise from zero, and then takes one fused",
        " * multiply-add per step in order of p. Every element of C is therefore the same chain",
        " * {@code fma(a[p], b[p], ...fma(a[0], b[0], c0))} whichever kernel, tile or thread computes it: that is what",
        " * makes results independent of the thread count. Reads a, b (and c when {@code load}); writes the tile of c.",
        " */",
        "final class GemmKernels {",
        "    static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;",
        "    static final int L = S.length();",
        "",
        "    /** Kernels for this machine, widest tile first: MR, NV and relative efficiency, indexed like {@link #run}. */",
    ]
    wide_ids = list(range(len(WIDE)))
    narrow_ids = list(range(len(WIDE), len(shapes)))
    lines.append("    static final int[] MR;")
    lines.append("    static final int[] NV;")
    lines.append("    static final double[] EFFICIENCY;")
    lines.append("    /** Kernel ids of {@link #run} for this machine's register file. */")
    lines.append("    static final int[] IDS;")
    lines.append("")
    lines.append("    static {")
    lines.append("        MR = new int[] {" + ", ".join(str(s[0]) for s in shapes) + "};")
    lines.append("        NV = new int[] {" + ", ".join(str(s[1]) for s in shapes) + "};")
    lines.append("        EFFICIENCY = new double[] {" + ", ".join(str(s[2]) for s in shapes) + "};")
    lines.append("        // 512-bit vectors come with 32 registers (AVX-512); narrower ones are assumed to have 16 (AVX2)")
    lines.append("        IDS = L >= 16 ? new int[] {" + ", ".join(map(str, wide_ids)) + "} : new int[] {"
                 + ", ".join(map(str, narrow_ids)) + "};")
    lines.append("    }")
    lines.append("")
    lines.append("    /** Interleaving patterns of the block transposes: lanes 0, L, 1, L+1, … and L/2, 3L/2, … */")
    lines.append("    private static final float[] ZIP_LO = new float[L];")
    lines.append("    private static final float[] ZIP_HI = new float[L];")
    lines.append("")
    lines.append("    static {")
    lines.append("        for (int l = 0; l < L; l++) {")
    lines.append("            ZIP_LO[l] = (l % 2 == 0 ? 0 : L) + l / 2;")
    lines.append("            ZIP_HI[l] = (l % 2 == 0 ? 0 : L) + L / 2 + l / 2;")
    lines.append("        }")
    lines.append("    }")
    lines.append("")
    lines.append("    /** Rows × columns of the dot-product kernel for this machine ({@code dot3x5} or {@code dot2x4}). */")
    lines.append(f"    static final int DOT_ROWS = L >= 16 ? {DOT_WIDE[0]} : {DOT_NARROW[0]};")
    lines.append(f"    static final int DOT_COLS = L >= 16 ? {DOT_WIDE[1]} : {DOT_NARROW[1]};")
    lines.append("    /** The dot-product kernels sum lanes with 16- or 8-lane patterns only. */")
    lines.append("    static final boolean DOT_SUPPORTED = L == 16 || L == 8;")
    lines.append("")
    lines.append("    /**")
    lines.append("     * Index patterns of the lane sums of the dot-product kernels, one row of L per round: round t (group")
    lines.append("     * width w = L/2^(t+1)) takes for output lane l the first (LO) or second (HI) half of group ⌊l/w⌋/2 of the")
    lines.append("     * first (⌊l/w⌋ even) or second vector. Round t pairs vector i with vector i + L/2^(t+1) and adds the")
    lines.append("     * two halves of each group, so that after log2(L) rounds lane l holds the sum of the lanes of vector l.")
    lines.append("     */")
    lines.append("    private static final float[] FOLD_LO = new float[4 * L];")
    lines.append("    private static final float[] FOLD_HI = new float[4 * L];")
    lines.append("")
    lines.append("    static {")
    lines.append("        for (int t = 0, w = L / 2; w >= 1; t++, w /= 2) {")
    lines.append("            for (int l = 0; l < L; l++) {")
    lines.append("                int g = l / w;")
    lines.append("                FOLD_LO[t * L + l] = (g % 2) * L + (g / 2) * 2 * w + l % w;")
    lines.append("                FOLD_HI[t * L + l] = FOLD_LO[t * L + l] + w;")
    lines.append("            }")
    lines.append("        }")
    lines.append("    }")
    lines.append("")
    lines.append("    private GemmKernels() {")
    lines.append("    }")
    lines.append("")
    lines.append("    /**")
    lines.append("     * Copies {@code count} ≤ L floats as one vector: {@code dst[d, d + L) = src[s, s + count)}, then zeros.")
    lines.append("     * The caller keeps {@code src[s, s + L)} inside the array (see the dot-product kernels).")
    lines.append("     */")
    lines.append("    static void copyFirst(int count, float[] src, int s, float[] dst, int d) {")
    lines.append("        FloatVector.fromArray(S, src, s, S.indexInRange(0, count)).intoArray(dst, d);")
    lines.append("    }")
    lines.append("")
    lines.append("    /**")
    lines.append("     * Runs kernel {@code id} (an index into {@link #MR}) on one tile; the arguments are as for the kernels. Each")
    lines.append("     * tile shape has two methods, one that starts from C and one that starts from zero: one method with a")
    lines.append("     * branch on {@code load} ran about 15 % slower (measured on Zen 5, JDK 25) once the JIT had seen both")
    lines.append("     * values, as it does as soon as a product has two k blocks.")
    lines.append("     */")
    lines.append("    static void run(int id, int kc, float[] a, int ao, int ars, int aks, float[] b, int bo, int bs,")
    lines.append("                    float[] c, int co, int ldc, boolean load) {")
    lines.append("        switch (id) {")
    for i, (mr, nv, _) in enumerate(shapes):
        lines.append(f"            case {i} -> {{")
        lines.append(f"                if (load) {{")
        lines.append(f"                    k{mr}x{nv}(kc, a, ao, ars, aks, b, bo, bs, c, co, ldc);")
        lines.append(f"                }} else {{")
        lines.append(f"                    k{mr}x{nv}z(kc, a, ao, ars, aks, b, bo, bs, c, co, ldc);")
        lines.append(f"                }}")
        lines.append(f"            }}")
    lines.append("            default -> throw new IllegalArgumentException(\"no GEMM kernel \" + id);")
    lines.append("        }")
    lines.append("    }")
    for mr, nv, _ in shapes:
        for load in (True, False):
            lines.append("")
            lines.extend(kernel(mr, nv, load))
    for rows, cols in (DOT_WIDE, DOT_NARROW):
        lines.append("")
        lines.extend(dot(rows, cols))
    for lanes in (16, 8):
        lines.append("")
        lines.extend(transpose(lanes))
    for lanes in (16, 8):
        lines.append("")
        lines.extend(transpose_columns(lanes))
    lines.append("}")
    text = "\n".join(lines) + "\n"
    if args.stdout:
        sys.stdout.buffer.write(text.encode("utf-8"))
    else:
        with open(OUT, "w", encoding="utf-8", newline="\n") as f:
            f.write(text)


if __name__ == "__main__":
    main()
