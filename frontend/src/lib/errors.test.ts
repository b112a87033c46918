import {
  BaseError,
  ContractFunctionExecutionError,
  ContractFunctionRevertedError,
  encodeErrorResult,
  HttpRequestError,
  parseAbi,
  UserRejectedRequestError,
} from "viem";
import { describe, expect, it } from "vitest";

import { describeError, reasonInWords, revertReason } from "./errors";

const abi = parseAbi(["function retire(uint256 id, uint256 amount, address b, string m)"]);

/** The error viem raises when a simulated call reverts with Error(reason). */
function reverted(reason: string): ContractFunctionExecutionError {
  const data = encodeErrorResult({
    abi: parseAbi(["error Error(string)"]),
    errorName: "Error",
    args: [reason],
  });
  const cause = new ContractFunctionRevertedError({ abi, data, functionName: "retire" });
  return new ContractFunctionExecutionError(cause, {
    abi,
    functionName: "retire",
    args: [1n, 5n, "0x0000000000000000000000000000000000000001", "m"],
  });
}

describe("revert reasons", () => {
  it("finds the reason inside viem's wrapped error", () => {
    expect(revertReason(reverted("ccr: amount exceeds balance"))).toBe(
      "ccr: amount exceeds balance",
    );
  });

  it("puts known reasons in words and keeps the contract's text", () => {
    expect(describeError(reverted("ccr: amount exceeds balance"))).toBe(
      "You don't hold that many credits of this batch. (ccr: amount exceeds balance)",
    );
    expect(describeError(reverted("egm: score too low"))).toMatch(/^Your ESG score is below/);
  });

  it("shows an unknown reason as the contract wrote it", () => {
    expect(reasonInWords("xyz: something new")).toBe("The contract refused: xyz: something new");
    expect(describeError(reverted("xyz: something new"))).toBe(
      "The contract refused: xyz: something new",
    );
  });
});

describe("other errors", () => {
  it("explains a rejected signature", () => {
    const e = new BaseError("wrapped", {
      cause: new UserRejectedRequestError(new Error("denied")),
    });
    expect(describeError(e)).toBe("You rejected the request in your wallet.");
  });

  it("explains a node that does not answer", () => {
    const e = new HttpRequestError({ url: "http://127.0.0.1:1", body: {} });
    expect(describeError(e)).toBe("The chain's node did not answer; is it running?");
  });

  it("passes plain errors' messages through", () => {
    expect(describeError(new Error('Batch: "x" is not a whole number'))).toBe(
      'Batch: "x" is not a whole number',
    );
    expect(describeError("odd")).toBe("odd");
  });
});
