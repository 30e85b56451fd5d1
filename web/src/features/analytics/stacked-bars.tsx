// SPDX-License-Identifier: AGPL-3.0-or-later
// Reports per day as stacked bars, in SVG (no chart library: a few dozen rects). The
// figures are also in a visually hidden table for screen readers.
export interface BarSeries {
  key: string;
  label: string;
  colour: string;
  values: number[];
}

export function StackedBars({
  days,
  series,
  title,
  formatDay,
}: {
  days: string[];
  series: BarSeries[];
  title: string;
  formatDay: (day: string) => string;
}) {
  const width = 640;
  const height = 200;
  const pad = { left: 36, right: 8, top: 8, bottom: 24 };
  const totals = days.map((_, i) => series.reduce((s, x) => s + (x.values[i] ?? 0), 0));
  const max = Math.max(1, ...totals);
  const band = (width - pad.left - pad.right) / Math.max(days.length, 1);
  const y = (v: number) => ((height - pad.top - pad.bottom) * v) / max;
  const labelEvery = Math.ceil(days.length / 8);
  const shown = series.filter((s) => s.values.some((v) => v > 0));
  return (
    <figure>
      <svg viewBox={`0 0 ${width} ${height}`} role="img" aria-label={title} className="h-52 w-full">
        <line x1={pad.left} x2={width - pad.right} y1={height - pad.bottom} y2={height - pad.bottom} stroke="#94a3b8" />
        <text x={pad.left - 4} y={pad.top + 8} textAnchor="end" fontSize="10" fill="#334155">
          {max}
        </text>
        <text x={pad.left - 4} y={height - pad.bottom} textAnchor="end" fontSize="10" fill="#334155">
          0
        </text>
        {days.map((day, i) => {
          let base = height - pad.bottom;
          return (
            <g key={day}>
              {shown.map((s) => {
                const h = y(s.values[i] ?? 0);
                base -= h;
                return h > 0 ? (
                  <rect key={s.key} x={pad.left + i * band + 1} y={base} width={Math.max(band - 2, 1)} height={h} fill={s.colour}>
                    <title>{`${formatDay(day)}: ${s.label} ${s.values[i]}`}</title>
                  </rect>
                ) : null;
              })}
              {i % labelEvery === 0 && (
                <text x={pad.left + i * band + band / 2} y={height - 8} textAnchor="middle" fontSize="10" fill="#334155">
                  {formatDay(day)}
                </text>
              )}
            </g>
          );
        })}
      </svg>
      <figcaption>
        <ul className="mt-2 flex flex-wrap gap-3 text-xs">
          {shown.map((s) => (
            <li key={s.key} className="flex items-center gap-1">
              <svg width="10" height="10" aria-hidden="true">
                <rect width="10" height="10" fill={s.colour} />
              </svg>
              {s.label}
            </li>
          ))}
        </ul>
      </figcaption>
      {/* A table ignores a 1 px width (it grows to its content), so the hiding box is a div:
          a bare sr-only table widened phone pages to 994 px. */}
      <div className="sr-only">
      <table>
        <caption>{title}</caption>
        <thead>
          <tr>
            <th scope="col">day</th>
            {shown.map((s) => (
              <th key={s.key} scope="col">
                {s.label}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {days.map((day, i) => (
            <tr key={day}>
              <th scope="row">{formatDay(day)}</th>
              {shown.map((s) => (
                <td key={s.key}>{s.values[i]}</td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
      </div>
    </figure>
  );
}
