import { finalityOf, finalityTitle, type ReadAt } from "../lib/finality";

/** Marks a value from a block that is not final yet; final values get a quiet tick. */
export function FinalityBadge({
  row,
  readAt,
}: {
  row: { final: boolean; block_number?: number; chain_id?: number };
  readAt?: ReadAt[];
}) {
  const state = finalityOf(row);
  return (
    <span className={`badge ${state}`} title={finalityTitle(row, readAt)} data-finality={state}>
      {state === "final" ? "final" : "not final"}
    </span>
  );
}

/** The checkpoint a page was read at, per chain. */
export function ReadAtLine({ readAt }: { readAt: ReadAt[] | undefined }) {
  if (!readAt?.length) return null;
  return (
    <p className="read-at muted">
      Read at{" "}
      {readAt.map((r, i) => (
        <span key={r.chain_id}>
          {i > 0 && " · "}chain {r.chain_id}: block {r.block} (final ≤ {r.finalized_block})
        </span>
      ))}
    </p>
  );
}
