/** A table declared by its columns: one heading and one cell renderer per column. */
import type { HTMLAttributes, ReactNode } from "react";

import type { ReadAt } from "../lib/finality";
import { FinalityBadge } from "./FinalityBadge";

export interface Column<T> {
  /** The heading; none for a column that speaks for itself (a badge, a link). */
  head?: ReactNode;
  /** Right-aligned figures. */
  num?: boolean;
  /** Extra classes of each cell, fixed or from its row. */
  className?: string | ((row: T) => string);
  cell: (row: T) => ReactNode;
}

/** Data attributes and the like, per row (for the browser tests and styling). */
type RowAttributes = HTMLAttributes<HTMLTableRowElement> & Record<`data-${string}`, unknown>;

function cellClass<T>(column: Column<T>, row: T): string | undefined {
  const extra = typeof column.className === "function" ? column.className(row) : column.className;
  const classes = [column.num ? "num" : "", extra ?? ""].filter(Boolean).join(" ");
  return classes || undefined;
}

/** What a table shows of its rows: its test id, each row's key (and attributes), its columns. */
export interface TableSpec<T> {
  testId: string;
  rowKey: (row: T) => string | number;
  rowProps?: (row: T) => RowAttributes;
  /** ``false`` leaves a column out (one shown only in some places). */
  columns: (Column<T> | false)[];
}

export function DataTable<T>({ table, rows }: { table: TableSpec<T>; rows: T[] }) {
  const { testId, rowKey, rowProps } = table;
  const shown = table.columns.filter((c): c is Column<T> => c !== false);
  return (
    <table data-testid={testId}>
      <thead>
        <tr>
          {shown.map((c, i) => (
            <th key={i} className={c.num ? "num" : undefined}>
              {c.head}
            </th>
          ))}
        </tr>
      </thead>
      <tbody>
        {rows.map((row) => (
          <tr key={rowKey(row)} {...rowProps?.(row)}>
            {shown.map((c, i) => (
              <td key={i} className={cellClass(c, row)}>
                {c.cell(row)}
              </td>
            ))}
          </tr>
        ))}
      </tbody>
    </table>
  );
}

/** The last column of most tables: whether the row's block is final. */
export function finalityColumn<
  T extends { final: boolean; block_number?: number; chain_id?: number },
>(readAt: ReadAt[] | undefined): Column<T> {
  return { cell: (row) => <FinalityBadge row={row} readAt={readAt} /> };
}
