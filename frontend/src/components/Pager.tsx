import { useState } from "react";

/**
 * Keyset paging state: the cursors of the pages seen so far, so "Newer" goes back exactly to
 * the previous page and "Older" follows the API's `next_cursor`.
 */
export function useKeysetPages(resetKey: string) {
  const [state, setState] = useState<{ key: string; stack: (string | undefined)[] }>({
    key: resetKey,
    stack: [undefined],
  });
  const stack = state.key === resetKey ? state.stack : [undefined];
  return {
    cursor: stack[stack.length - 1],
    page: stack.length,
    older: (next: string) => setState({ key: resetKey, stack: [...stack, next] }),
    newer: () => setState({ key: resetKey, stack: stack.slice(0, -1) }),
  };
}

export function Pager({
  page,
  nextCursor,
  onOlder,
  onNewer,
}: {
  page: number;
  nextCursor: string | null | undefined;
  onOlder: (cursor: string) => void;
  onNewer: () => void;
}) {
  return (
    <div className="pager">
      <button type="button" onClick={onNewer} disabled={page <= 1}>
        ← Newer
      </button>
      <span className="muted" data-testid="page-number">
        page {page}
      </span>
      <button
        type="button"
        onClick={() => nextCursor && onOlder(nextCursor)}
        disabled={!nextCursor}
      >
        Older →
      </button>
    </div>
  );
}
