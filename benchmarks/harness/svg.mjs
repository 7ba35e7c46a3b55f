/**
 * The report's plots as standalone SVG, drawn here so the suite needs no plotting package:
 * latency percentile curves (log x axis of 1/(1-percentile), log y axis) and horizontal
 * throughput bars.
 */
import { formatValue } from './format.mjs';

const WIDTH = 900;
const CHAR_WIDTH = 6.6; // of the 12 px sans-serif labels, for sizing the legend
const PALETTE = ['#1f77b4', '#d62728', '#2ca02c', '#ff7f0e', '#9467bd', '#8c564b', '#e377c2', '#17becf'];
const FONT = 'font-family="sans-serif" font-size="12"';

const escape = (text) => String(text).replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
const text = (x, y, content, attributes = '') => `<text x="${x.toFixed(1)}" y="${y.toFixed(1)}" ${attributes}>${escape(content)}</text>`;
const line = (x1, y1, x2, y2, attributes) => `<line x1="${x1.toFixed(1)}" y1="${y1.toFixed(1)}" x2="${x2.toFixed(1)}" y2="${y2.toFixed(1)}" ${attributes}/>`;

function document(height, title, body) {
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${WIDTH}" height="${height}" viewBox="0 0 ${WIDTH} ${height}" ${FONT}>`,
    `<rect width="${WIDTH}" height="${height}" fill="white"/>`,
    text(WIDTH / 2, 22, title, 'text-anchor="middle" font-size="15" font-weight="bold"'),
    ...body,
    '</svg>',
    '',
  ].join('\n');
}

/** The percentile a curve point's x stands for: 0 % at 1, 90 % at 10, 99 % at 100, ... */
function percentileLabel(decade) {
  if (decade === 0) return '0%';
  return `${(100 * (1 - 10 ** -decade)).toFixed(Math.max(0, decade - 2))}%`;
}

/**
 * Latency against percentile, one line per metric (each needs `curve`: [percentile, value]
 * points, the last one the max at 100 %, which is drawn at 1/(1-p) = the sample count).
 */
export function percentileCurves(title, metrics) {
  const legendWidth = 50 + CHAR_WIDTH * Math.max(...metrics.map((m) => m.name.length));
  const plot = { left: 80, right: Math.max(WIDTH / 2, WIDTH - legendWidth), top: 40, bottom: 380 };
  const series = metrics.map((m) => ({
    name: m.name,
    unit: m.unit,
    points: m.curve.map(([p, v]) => [Math.log10(p >= 100 ? Math.max(m.count, 1) : 1 / (1 - p / 100)), Math.log10(Math.max(v, 1))]),
  }));
  const xs = series.flatMap((s) => s.points.map(([x]) => x));
  const ys = series.flatMap((s) => s.points.map(([, y]) => y));
  const xMax = Math.max(1, Math.ceil(Math.max(...xs)));
  const yMin = Math.floor(Math.min(...ys));
  const yMax = Math.max(yMin + 1, Math.ceil(Math.max(...ys)));
  const px = (x) => plot.left + (x / xMax) * (plot.right - plot.left);
  const py = (y) => plot.bottom - ((y - yMin) / (yMax - yMin)) * (plot.bottom - plot.top);
  const body = [];
  for (let d = 0; d <= xMax; d++) {
    body.push(line(px(d), plot.top, px(d), plot.bottom, 'stroke="#ddd"'), text(px(d), plot.bottom + 18, percentileLabel(d), 'text-anchor="middle"'));
  }
  for (let d = yMin; d <= yMax; d++) {
    body.push(line(plot.left, py(d), plot.right, py(d), 'stroke="#ddd"'), text(plot.left - 8, py(d) + 4, formatValue(10 ** d, series[0]?.unit ?? ''), 'text-anchor="end"'));
  }
  body.push(text((plot.left + plot.right) / 2, plot.bottom + 40, 'percentile (log scale of 1/(1-p)); the last point of each line is its max'));
  series.forEach((s, i) => {
    const color = PALETTE[i % PALETTE.length];
    const path = s.points.map(([x, y], k) => `${k ? 'L' : 'M'}${px(x).toFixed(1)},${py(y).toFixed(1)}`).join(' ');
    body.push(`<path d="${path}" fill="none" stroke="${color}" stroke-width="2"/>`);
    body.push(line(plot.right + 15, plot.top + 10 + i * 20, plot.right + 35, plot.top + 10 + i * 20, `stroke="${color}" stroke-width="3"`));
    body.push(text(plot.right + 40, plot.top + 14 + i * 20, s.name));
  });
  body.push(`<rect x="${plot.left}" y="${plot.top}" width="${plot.right - plot.left}" height="${plot.bottom - plot.top}" fill="none" stroke="#333"/>`);
  return document(plot.bottom + 60, title, body);
}

/** One horizontal bar per rate metric, on a linear scale from zero, each labelled with its value. */
export function throughputBars(title, metrics) {
  const label = (m) => formatValue(m.rate, m.unit);
  const left = 20 + CHAR_WIDTH * Math.max(...metrics.map((m) => m.name.length));
  const right = WIDTH - 20 - CHAR_WIDTH * Math.max(...metrics.map((m) => label(m).length));
  const barHeight = 24;
  const max = Math.max(...metrics.map((m) => m.rate), 1e-9);
  const body = metrics.flatMap((m, i) => {
    const y = 44 + i * (barHeight + 10);
    const width = (m.rate / max) * (right - left);
    return [
      text(left - 8, y + 16, m.name, 'text-anchor="end"'),
      `<rect x="${left}" y="${y}" width="${Math.max(width, 1).toFixed(1)}" height="${barHeight}" fill="${PALETTE[i % PALETTE.length]}"/>`,
      text(left + Math.max(width, 1) + 6, y + 16, label(m)),
    ];
  });
  return document(44 + metrics.length * (barHeight + 10) + 20, title, body);
}
