/** Exact formatting of on-chain amounts (decimal strings from the API, bigints from the chain). */

/** Decimals of each token's unit; CCR counts tonnes, EGM and ECR count items. */
export const DECIMALS: Record<string, number> = {
  GST: 18,
  ECT: 18,
  EST: 18,
  AET: 18,
  CCR: 0,
  EGM: 0,
  ECR: 0,
};

export function decimalsOf(symbol: string | null | undefined): number {
  return (symbol && DECIMALS[symbol.toUpperCase()]) || 0;
}

function group(digits: string): string {
  return digits.replace(/\B(?=(\d{3})+(?!\d))/g, ",");
}

/**
 * `raw` base units shown in whole units with thousands separators. Exact by default (every
 * significant decimal); with `maxFraction` the fraction is cut (not rounded) and "…" marks a cut.
 */
export function formatAmount(
  raw: string | bigint | number,
  decimals: number,
  maxFraction?: number,
): string {
  let value: bigint;
  try {
    value = BigInt(raw);
  } catch {
    return String(raw);
  }
  const negative = value < 0n;
  if (negative) value = -value;
  const base = 10n ** BigInt(decimals);
  const whole = group((value / base).toString());
  let fraction = decimals > 0 ? (value % base).toString().padStart(decimals, "0") : "";
  fraction = fraction.replace(/0+$/, "");
  let cut = false;
  if (maxFraction !== undefined && fraction.length > maxFraction) {
    fraction = fraction.slice(0, maxFraction).replace(/0+$/, "");
    cut = true;
  }
  const text = fraction ? `${whole}.${fraction}` : whole;
  return (negative ? "-" : "") + text + (cut ? "…" : "");
}

/** "12.5" in whole units → base units; throws a message in words on bad input. */
export function parseAmount(text: string, decimals: number): bigint {
  const clean = text.trim().replace(/,/g, "");
  if (!/^\d+(\.\d+)?$/.test(clean)) {
    throw new Error(`"${text}" is not an amount: use digits and at most one decimal point`);
  }
  const [whole, fraction = ""] = clean.split(".");
  if (fraction.length > decimals) {
    throw new Error(
      decimals === 0
        ? `"${text}": this token counts whole units only`
        : `"${text}": at most ${decimals} decimals`,
    );
  }
  return BigInt(whole + fraction.padEnd(decimals, "0"));
}

/** Basis points (0..10000) as a percentage with two decimals: 8290 → "82.90". */
export function formatBasisPoints(bp: number): string {
  return (bp / 100).toFixed(2);
}

export function shortAddress(address: string | null | undefined): string {
  if (!address) return "—";
  return `${address.slice(0, 6)}…${address.slice(-4)}`;
}

export function shortHash(hash: string): string {
  return `${hash.slice(0, 10)}…${hash.slice(-6)}`;
}

/** Unix seconds (as a number or decimal string) → "2025-11-30 14:05 UTC". */
export function formatTime(seconds: number | string | null | undefined): string {
  if (seconds === null || seconds === undefined || seconds === "") return "—";
  const ms = Number(seconds) * 1000;
  if (!Number.isFinite(ms)) return "—";
  return new Date(ms).toISOString().slice(0, 16).replace("T", " ") + " UTC";
}
