import { apiErrorMessage } from "../api/client";

/** What a page shows while its data loads or when the API fails (never a blank screen). */
export function QueryState({
  isPending,
  error,
  what,
}: {
  isPending: boolean;
  error: unknown;
  what: string;
}) {
  if (error) {
    return (
      <div className="notice error" role="alert" data-testid="api-error">
        <strong>Cannot show {what}.</strong> {apiErrorMessage(error)}
      </div>
    );
  }
  if (isPending) {
    return (
      <p className="muted" aria-busy="true">
        Loading {what}…
      </p>
    );
  }
  return null;
}

export function Empty({ children }: { children: React.ReactNode }) {
  return <p className="muted empty">{children}</p>;
}
