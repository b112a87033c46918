/** Errors in words: a contract's revert reason, a wallet's refusal, a node that does not answer. */
import {
  BaseError,
  ContractFunctionRevertedError,
  HttpRequestError,
  InsufficientFundsError,
  UserRejectedRequestError,
} from "viem";

/** What each revert reason of the contracts means to the person who sent the transaction. */
const REASONS: Record<string, string> = {
  "pausable: contract is paused": "The contract is paused by its operators; try again later.",
  "access_control: account is missing role": "Your account lacks the role this action needs.",
  "erc20: transfer amount exceeds balance": "You don't hold that many tokens.",
  "erc20: insufficient allowance": "The contract may not move that many of your tokens yet.",
  "erc20: transfer to the zero address": "The recipient is the zero address.",
  "erc1155: insufficient balance for transfer": "You don't hold that many units of this id.",
  "erc1155: transfer to the zero address": "The recipient is the zero address.",
  "ccr: amount exceeds balance": "You don't hold that many credits of this batch.",
  "ccr: zero amount": "Retire at least one tonne.",
  "ccr: beneficiary is the zero address": "The beneficiary is the zero address.",
  "ccr: unknown batch": "There is no carbon batch with that id.",
  "ccr: sender not allowed": "Your account is not on this batch's allow list.",
  "ccr: receiver not allowed": "The recipient is not on this batch's allow list.",
  "est: zero amount": "Stake more than zero GST.",
  "est: lock out of range": "The lock must be between 7 and 365 days.",
  "est: still locked": "This position is still locked.",
  "est: not position owner": "This staking position is not yours.",
  "governor: vote not active": "Voting on this proposal is not open (not started yet, or over).",
  "governor: already voted": "You have already voted on this proposal.",
  "governor: unknown proposal": "There is no such proposal.",
  "governor: invalid vote type": "Choose for, against or abstain.",
  "egm: already claimed": "You have already claimed this gem.",
  "egm: score too low": "Your ESG score is below this gem's minimum.",
  "egm: not claimable": "This gem cannot be claimed, only bought.",
  "egm: unknown gem": "There is no gem with that id.",
  "egm: cap exceeded": "Every unit of this gem has been handed out.",
  "egm: gem expired": "This gem has expired.",
  "bridge: token not mapped": "This token has no counterpart on that chain.",
  "bridge: wrong destination chain": "Choose a destination other than the chain you are on.",
  "bridge: zero amount": "Send more than zero.",
  "bridge: zero recipient": "The recipient is the zero address.",
};

/** The revert reason string inside an error, if the error is a contract revert. */
export function revertReason(error: unknown): string | undefined {
  if (!(error instanceof BaseError)) return undefined;
  const revert = error.walk((e) => e instanceof ContractFunctionRevertedError);
  if (revert instanceof ContractFunctionRevertedError) {
    return revert.reason ?? revert.data?.errorName ?? revert.shortMessage;
  }
  return undefined;
}

/** A revert reason in words; unknown reasons are shown as the contract wrote them. */
export function reasonInWords(reason: string): string {
  const words = REASONS[reason];
  return words ? `${words} (${reason})` : `The contract refused: ${reason}`;
}

/** One sentence for any error an action can meet. */
export function describeError(error: unknown): string {
  const reason = revertReason(error);
  if (reason) return reasonInWords(reason);
  if (error instanceof BaseError) {
    if (error.walk((e) => e instanceof UserRejectedRequestError)) {
      return "You rejected the request in your wallet.";
    }
    if (error.walk((e) => e instanceof InsufficientFundsError)) {
      return "Your account cannot pay for gas on this chain.";
    }
    if (error.walk((e) => e instanceof HttpRequestError)) {
      return "The chain's node did not answer; is it running?";
    }
    return error.shortMessage;
  }
  if (error instanceof Error) return error.message;
  return String(error);
}
