import { describe, expect, it } from "vitest";

import { decimalsOf, formatAmount, formatBasisPoints, parseAmount } from "./format";

describe("formatAmount", () => {
  it("shows every significant decimal of an 18-decimal amount", () => {
    expect(formatAmount("149400000000000000000000", 18)).toBe("149,400");
    expect(formatAmount("1000000000000000001", 18)).toBe("1.000000000000000001");
    expect(formatAmount(12345678901234567890n, 18)).toBe("12.34567890123456789");
  });

  it("groups whole units and keeps zero and tiny values exact", () => {
    expect(formatAmount("0", 18)).toBe("0");
    expect(formatAmount("1", 18)).toBe("0.000000000000000001");
    expect(formatAmount("1234567", 0)).toBe("1,234,567");
    expect(formatAmount("-2500000000000000000", 18)).toBe("-2.5");
  });

  it("cuts, never rounds, and marks the cut", () => {
    expect(formatAmount("1999999999999999999", 18, 2)).toBe("1.99…");
    expect(formatAmount("1500000000000000000", 18, 2)).toBe("1.5");
    expect(formatAmount("1000000000000000001", 18, 0)).toBe("1…");
  });

  it("handles amounts beyond 2^64 and 2^128 without precision loss", () => {
    const big = (2n ** 200n).toString();
    expect(formatAmount(big, 0).replace(/,/g, "")).toBe(big);
  });

  it("shows a non-number as given instead of throwing", () => {
    expect(formatAmount("n/a", 18)).toBe("n/a");
  });
});

describe("parseAmount", () => {
  it("is the inverse of formatAmount", () => {
    for (const raw of ["0", "1", "1000000000000000001", "149400000000000000000000"]) {
      expect(parseAmount(formatAmount(raw, 18), 18)).toBe(BigInt(raw));
    }
  });

  it("refuses bad input with a sentence", () => {
    expect(() => parseAmount("1.5", 0)).toThrow(/whole units/);
    expect(() => parseAmount("1.0000000000000000001", 18)).toThrow(/at most 18 decimals/);
    expect(() => parseAmount("-1", 18)).toThrow(/not an amount/);
    expect(() => parseAmount("1e3", 18)).toThrow(/not an amount/);
  });
});

describe("token units", () => {
  it("knows which tokens have decimals", () => {
    expect(decimalsOf("GST")).toBe(18);
    expect(decimalsOf("ccr")).toBe(0);
    expect(decimalsOf(null)).toBe(0);
  });

  it("formats basis points as a percentage", () => {
    expect(formatBasisPoints(8290)).toBe("82.90");
    expect(formatBasisPoints(0)).toBe("0.00");
  });
});
