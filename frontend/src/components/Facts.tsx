/** A term and its value in a `<dl className="facts">` list. */
import type { ReactNode } from "react";

export function Fact({
  term,
  children,
  testId,
  className,
}: {
  term: string;
  children: ReactNode;
  testId?: string;
  className?: string;
}) {
  return (
    <>
      <dt>{term}</dt>
      <dd data-testid={testId} className={className}>
        {children}
      </dd>
    </>
  );
}
