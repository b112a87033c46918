/** The content hash of a retirement certificate, as CCR.retire computes it:
 * keccak256(abi_encode(chain.id, ccr, batch id, amount, beneficiary, message, retiring account,
 * retirement index)). */
import { encodeAbiParameters, keccak256, type Address, type Hex } from "viem";

export interface RetirementFields {
  chainId: number;
  ccr: Address;
  batchId: bigint;
  amount: bigint;
  beneficiary: Address;
  message: string;
  retiredBy: Address;
}

const LAYOUT = [
  { type: "uint256" },
  { type: "address" },
  { type: "uint256" },
  { type: "uint256" },
  { type: "address" },
  { type: "string" },
  { type: "address" },
  { type: "uint256" },
] as const;

export function contentHash(f: RetirementFields, index: bigint): Hex {
  return keccak256(
    encodeAbiParameters(LAYOUT, [
      BigInt(f.chainId),
      f.ccr,
      f.batchId,
      f.amount,
      f.beneficiary,
      f.message,
      f.retiredBy,
      index,
    ]),
  );
}

/**
 * The retirement index at which `fields` hash to `expected`, searching 0..maxIndex-1
 * (the index is the retirement's sequence number on its CCR contract); undefined: no match.
 */
export function findRetirementIndex(
  fields: RetirementFields,
  expected: Hex,
  maxIndex: number,
): number | undefined {
  const want = expected.toLowerCase();
  for (let i = 0; i < maxIndex; i++) {
    if (contentHash(fields, BigInt(i)) === want) return i;
  }
  return undefined;
}
