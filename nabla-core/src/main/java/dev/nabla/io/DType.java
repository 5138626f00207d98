package dev.nabla.io;

/**
 * The element types of a safetensors file, by the names its header uses, with their sizes in bytes. Nabla computes
 * in float32, so reading converts: F32, F16, BF16, I16, I8, U8 and BOOL arrive unchanged; F64 rounds, and I64 and
 * I32 are exact up to 2²⁴ (the reader says so when a value changes).
 */
public enum DType {
    F64(8), F32(4), F16(2), BF16(2), I64(8), I32(4), I16(2), I8(1), U8(1), BOOL(1);

    private final int bytes;

    DType(int bytes) {
        this.bytes = bytes;
    }

    /** Bytes per element. */
    public int bytes() {
        return bytes;
    }

    /** The type named {@code name} in a header ({@code "F32"}), or null when there is none of that name. */
    static DType byName(String name) {
        for (DType t : values()) {
            if (t.name().equals(name)) {
                return t;
            }
        }
        return null;
    }

    /** The names a header may use, for messages: {@code F64, F32, …}. */
    static String names() {
        return java.util.Arrays.stream(values()).map(Enum::name).collect(java.util.stream.Collectors.joining(", "));
    }
}
