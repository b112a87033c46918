import { cleanup, render, screen } from "@testing-library/react";
import { afterEach, describe, expect, it } from "vitest";

import { finalityTitle, pendingCount } from "../lib/finality";
import { FinalityBadge, ReadAtLine } from "./FinalityBadge";

afterEach(cleanup);

const readAt = [{ chain_id: 2025, block: 120, finalized_block: 100 }];

describe("FinalityBadge", () => {
  it("marks a row above the finalized block as not final, saying why", () => {
    render(
      <FinalityBadge row={{ final: false, block_number: 110, chain_id: 2025 }} readAt={readAt} />,
    );
    const badge = screen.getByText("not final");
    expect(badge.dataset.finality).toBe("pending");
    expect(badge.className).toContain("pending");
    expect(badge.title).toBe(
      "Block 110 is not final yet (chain 2025 is final up to block 100): a reorganisation could still change it.",
    );
  });

  it("shows a final row quietly", () => {
    render(
      <FinalityBadge row={{ final: true, block_number: 90, chain_id: 2025 }} readAt={readAt} />,
    );
    const badge = screen.getByText("final");
    expect(badge.dataset.finality).toBe("final");
    expect(badge.title).toMatch(/cannot be reorganised/);
  });

  it("shows the checkpoint each chain was read at", () => {
    render(<ReadAtLine readAt={[...readAt, { chain_id: 31338, block: 7, finalized_block: 5 }]} />);
    expect(screen.getByText(/chain 2025: block 120 \(final ≤ 100\)/)).toBeTruthy();
    expect(screen.getByText(/chain 31338: block 7 \(final ≤ 5\)/)).toBeTruthy();
  });
});

describe("finality helpers", () => {
  it("counts pending rows and explains rows without a chain", () => {
    expect(pendingCount([{ final: true }, { final: false }, { final: false }])).toBe(2);
    expect(finalityTitle({ final: false })).toBe(
      "This value is not final yet: a reorganisation could still change it.",
    );
  });
});
