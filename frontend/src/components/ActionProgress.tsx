import { Link } from "react-router";

import type { ActionState, StepState } from "../actions/lifecycle";
import { shortHash } from "../lib/format";

function stepText(s: StepState): string {
  switch (s.kind) {
    case "waiting":
      return "waiting";
    case "checking":
      return "checking…";
    case "signing":
      return "signing… (confirm in your wallet)";
    case "pending":
      return `pending ${shortHash(s.hash)}`;
    case "mined":
      return `mined in block ${s.block}`;
    case "failed":
      return "failed";
  }
}

/** The life of an action: each transaction's stage, then "indexed" with the time it took. */
export function ActionProgress({ state }: { state: ActionState | null }) {
  if (!state) return null;
  return (
    <div className="progress" data-testid="action-progress" data-phase={state.phase}>
      <ol>
        {state.steps.map((s, i) => (
          <li key={i} data-stage={s.state.kind}>
            <span>{s.label}</span> —{" "}
            <span className={`stage ${s.state.kind}`}>{stepText(s.state)}</span>
          </li>
        ))}
      </ol>
      {state.phase === "indexing" && (
        <p className="muted">Mined; waiting for the API to index it…</p>
      )}
      {state.phase === "indexed" && (
        <p className="ok" data-testid="indexed">
          Indexed: visible in the API{" "}
          <span data-testid="mined-to-indexed-ms" data-ms={state.minedToIndexedMs}>
            {((state.minedToIndexedMs ?? 0) / 1000).toFixed(2)} s
          </span>{" "}
          after it was mined.
        </p>
      )}
      {state.result &&
        (state.result.href ? (
          <p>
            <Link to={state.result.href} data-testid="action-result">
              {state.result.text}
            </Link>
          </p>
        ) : (
          <p data-testid="action-result">{state.result.text}</p>
        ))}
      {state.error && (
        <p className="notice error" role="alert" data-testid="action-error">
          {state.error}
        </p>
      )}
    </div>
  );
}
