import { decimalsOf, formatAmount } from "../lib/format";

/** An exact token amount; `data-raw` keeps the base units for tools and tests. */
export function Amount({
  raw,
  symbol,
  decimals,
  maxFraction,
}: {
  raw: string | bigint;
  symbol?: string | null;
  decimals?: number;
  maxFraction?: number;
}) {
  const d = decimals ?? decimalsOf(symbol);
  return (
    <span className="amount" data-raw={String(raw)} title={`${String(raw)} base units`}>
      {formatAmount(raw, d, maxFraction)}
    </span>
  );
}
