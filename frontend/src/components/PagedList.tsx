/** One page of a keyset-paged list: its loading state, its rows and its pager. */
import type { ReactNode } from "react";

import type { ReadAt } from "../lib/finality";
import { ReadAtLine } from "./FinalityBadge";
import { Pager, useKeysetPages } from "./Pager";
import { Empty, QueryState } from "./Status";

/** A keyset-paged list: its paging state and the query of its current page, which ``useQuery``
 * (an API query hook, called on every render) makes for the page's cursor. */
export function usePaged<Q>(key: string, useQuery: (cursor: string | undefined) => Q) {
  const pages = useKeysetPages(key);
  return { pages, query: useQuery(pages.cursor) };
}

type ListPage = { items: unknown[]; next_cursor?: string | null; read_at?: ReadAt[] };

/** ``children`` renders the rows of a page that has any; ``empty`` stands in for none.
 * ``showReadAt`` adds the page's read checkpoint above it; ``pagerAlways`` keeps the pager
 * on a list that fits one page (a feed that grows while it is read). */
export function PagedList<P extends ListPage>({
  pages,
  query,
  what,
  empty,
  showReadAt = false,
  pagerAlways = false,
  children,
}: {
  pages: ReturnType<typeof useKeysetPages>;
  query: { data?: P; isPending: boolean; error: unknown };
  what: string;
  empty: string;
  showReadAt?: boolean;
  pagerAlways?: boolean;
  children: (page: P) => ReactNode;
}) {
  const page = query.data;
  return (
    <>
      {showReadAt && <ReadAtLine readAt={page?.read_at} />}
      <QueryState isPending={query.isPending} error={query.error} what={what} />
      {page && page.items.length === 0 && <Empty>{empty}</Empty>}
      {page && page.items.length > 0 && children(page)}
      {page && (pagerAlways || pages.page > 1 || page.next_cursor) && (
        <Pager
          page={pages.page}
          nextCursor={page.next_cursor}
          onOlder={pages.older}
          onNewer={pages.newer}
        />
      )}
    </>
  );
}
