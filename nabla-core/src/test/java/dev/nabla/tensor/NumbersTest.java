package dev.nabla.tensor;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class NumbersTest {
    @Test
    void figuresHaveThreeSignificantDigitsAndTwoInScientificNotation() {
        assertEquals("1e-3", Numbers.sci(1e-3));
        assertEquals("1.3e22", Numbers.sci(1.25e22 + 1e20));
        assertEquals("5.7e-17", Numbers.sci(5.71e-17));
        assertEquals("0.527", Numbers.sci(0.5271));
        assertEquals("0.01", Numbers.sci(0.01));
        assertEquals("999", Numbers.sci(999.4));
        assertEquals("1e3", Numbers.sci(999.97));
        assertEquals("-2.5e-4", Numbers.sci(-2.5e-4));
        assertEquals("0", Numbers.sci(0));
    }

    @Test
    void nonFiniteValuesHaveOneSpellingEverywhere() {
        assertEquals("∞", Numbers.sci(Double.POSITIVE_INFINITY));
        assertEquals("−∞", Numbers.sci(Double.NEGATIVE_INFINITY));
        assertEquals("NaN", Numbers.sci(Double.NaN));
        assertEquals("∞", Numbers.nonFinite(Float.POSITIVE_INFINITY));
        assertEquals("−∞", Numbers.nonFinite(Float.NEGATIVE_INFINITY));
    }

    @Test
    void powersOfTenAndPlainNumbersReadAsTyped() {
        assertEquals("1e-18", Numbers.power(1e-18));
        assertEquals("1e22", Numbers.power(1e22));
        assertEquals("1", Numbers.power(1));
        assertEquals("0.5", Numbers.power(0.5));
        assertEquals("1", Numbers.plain(1.0));
        assertEquals("0.5", Numbers.plain(0.5));
        assertEquals("1.0E-6", Numbers.plain(1e-6));
    }
}
