/** A row of tabs: one button per key, the ``current`` one selected. */
export function Tabs<K extends string>({
  labels,
  current,
  onChoose,
}: {
  labels: Record<K, string>;
  current: K;
  onChoose: (key: K) => void;
}) {
  return (
    <div className="tabs" role="tablist">
      {(Object.keys(labels) as K[]).map((key) => (
        <button
          type="button"
          role="tab"
          key={key}
          aria-selected={key === current}
          onClick={() => onChoose(key)}
        >
          {labels[key]}
        </button>
      ))}
    </div>
  );
}
