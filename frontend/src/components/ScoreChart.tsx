/** The ESG score and its E/S/G parts over time (loaded with the account page's chart only). */
import {
  CartesianGrid,
  Legend,
  Line,
  LineChart,
  ResponsiveContainer,
  Tooltip,
  XAxis,
  YAxis,
} from "recharts";

import type { Schemas } from "../api/client";
import { formatTime } from "../lib/format";

type Change = Schemas["ScoreChange"];

export default function ScoreChart({ items }: { items: Change[] }) {
  const points = [...items].reverse().map((c) => ({
    when: c.timestamp ? formatTime(c.timestamp) : `block ${c.block_number}`,
    score: c.new_score / 100,
    E: c.environmental / 100,
    S: c.social / 100,
    G: c.governance / 100,
  }));
  return (
    <div className="chart" data-testid="score-chart">
      <ResponsiveContainer width="100%" height={220}>
        <LineChart data={points} margin={{ top: 8, right: 16, bottom: 8, left: 0 }}>
          <CartesianGrid strokeDasharray="3 3" />
          <XAxis dataKey="when" fontSize={11} />
          <YAxis domain={[0, 100]} fontSize={11} />
          <Tooltip />
          <Legend />
          <Line type="stepAfter" dataKey="score" stroke="#1f7a4d" strokeWidth={2} dot />
          <Line type="stepAfter" dataKey="E" stroke="#4caf50" dot={false} />
          <Line type="stepAfter" dataKey="S" stroke="#2196f3" dot={false} />
          <Line type="stepAfter" dataKey="G" stroke="#9c27b0" dot={false} />
        </LineChart>
      </ResponsiveContainer>
    </div>
  );
}
