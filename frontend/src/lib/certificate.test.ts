import { describe, expect, it } from "vitest";

import { contentHash, findRetirementIndex, type RetirementFields } from "./certificate";

// keccak256(abi_encode(...)) of these fields computed independently with eth_abi (Python).
const fields: RetirementFields = {
  chainId: 2025,
  ccr: "0xDc64a140Aa3E981100a9becA4E685f962f0cF6C9",
  batchId: 1n,
  amount: 250n,
  beneficiary: "0x70997970C51812dc3A010C7d01b50e0d17dc79C8",
  message: "Offsetting 2025 scope 1 emissions",
  retiredBy: "0x70997970C51812dc3A010C7d01b50e0d17dc79C8",
};
const EXPECTED = "0x593e4f5883a89f064c232f3f14fd3780e3fbd1b0f521049f6eba975099b4df7a";

describe("certificate content hash", () => {
  it("encodes the fields as CCR.retire does", () => {
    expect(contentHash(fields, 0n)).toBe(EXPECTED);
  });

  it("finds the retirement index, and nothing for changed fields", () => {
    expect(findRetirementIndex(fields, EXPECTED, 10)).toBe(0);
    expect(
      findRetirementIndex({ ...fields, message: "Offsetting 2025 scope 2" }, EXPECTED, 10),
    ).toBe(undefined);
    expect(findRetirementIndex({ ...fields, amount: 251n }, EXPECTED, 10)).toBe(undefined);
  });
});
