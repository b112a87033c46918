/** Finality of indexed rows: every API row says whether its block is final on its chain. */

export interface ReadAt {
  chain_id: number;
  block: number;
  finalized_block: number;
}

export type Finality = "final" | "pending";

export function finalityOf(row: { final: boolean }): Finality {
  return row.final ? "final" : "pending";
}

/** Words for a badge's tooltip: why a row is (not yet) final. */
export function finalityTitle(
  row: { final: boolean; block_number?: number; chain_id?: number },
  readAt?: ReadAt[],
): string {
  if (row.final) return "In a final block: it cannot be reorganised away.";
  const at = readAt?.find((r) => r.chain_id === row.chain_id);
  const where = row.block_number !== undefined ? `Block ${row.block_number}` : "This value";
  const limit = at ? ` (chain ${at.chain_id} is final up to block ${at.finalized_block})` : "";
  return `${where} is not final yet${limit}: a reorganisation could still change it.`;
}

/** How many rows of a list are not final yet. */
export function pendingCount(rows: { final: boolean }[]): number {
  return rows.reduce((n, r) => n + (r.final ? 0 : 1), 0);
}
