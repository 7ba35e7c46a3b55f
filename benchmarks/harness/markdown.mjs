/** latest.md: the machine, then per section what it measures, its tables and its plots. */
import { formatRatio, formatValue } from './format.mjs';
import { isLatency } from './metrics.mjs';

/** The ratio cell: "3.2x / 5.1x" (p50 / p99) or "3.2x" (rate), naming the base when the table has several. */
function ratioCell(m, named) {
  if (!m.ratio) return '';
  const value = isLatency(m) ? `${formatRatio(m.ratio.p50)} / ${formatRatio(m.ratio.p99)}` : formatRatio(m.ratio.rate);
  return named ? `${value} of ${m.ratio.to}` : value;
}

/** The ratio column's header, and whether each cell must name its base (when the rows have different ones). */
function ratioColumn(metrics, what) {
  const bases = [...new Set(metrics.filter((m) => m.ratio).map((m) => m.ratio.to))];
  return bases.length === 1 ? [`${what} to ${bases[0]}`, false] : [what, true];
}

function latencyTable(metrics) {
  const [ratioHeader, named] = ratioColumn(metrics, 'ratio at p50 / p99');
  return [
    `| latency | p50 | p90 | p99 | p99.9 | max | samples | ${ratioHeader} |`,
    '| --- | --- | --- | --- | --- | --- | --- | --- |',
    ...metrics.map((m) => {
      const cells = m.count === 0 ? ['none', '', '', '', ''] : [m.p50, m.p90, m.p99, m.p999, m.max].map((v) => formatValue(v, m.unit));
      return `| ${m.name} | ${cells.join(' | ')} | ${m.count.toLocaleString('en-US')} | ${ratioCell(m, named)} |`;
    }),
  ];
}

function rateTable(metrics) {
  const [ratioHeader, named] = ratioColumn(metrics, 'ratio');
  return [
    `| rate | value | counted over | ${ratioHeader} |`,
    '| --- | --- | --- | --- |',
    ...metrics.map((m) => `| ${m.name} | ${formatValue(m.rate, m.unit)} | ${m.count.toLocaleString('en-US')} | ${ratioCell(m, named)} |`),
  ];
}

/** The one line that says where and how the numbers were taken. */
export function machineLine(report) {
  const m = report.machine;
  return `\`${report.command}\` on ${report.date.slice(0, 10)}: ${m.cpu}, ${m.cores} cores, ${m.memoryGiB} GiB, ${m.kernel}, ` +
    `Node ${m.node}, Python ${m.python}; load average ${m.loadAverage.map((x) => x.toFixed(2)).join(' ')} at the start; ` +
    `${m.pinning ? `peer pinned to core ${m.pinning.peer}, measuring client to core ${m.pinning.client}` : 'no core pinning'}.`;
}

export function markdown(report) {
  const lines = ['# Benchmark results', '', machineLine(report), ''];
  for (const s of report.sections) {
    lines.push(`## ${s.title}`, '', `Section \`${s.name}\`, ${s.elapsedSeconds.toFixed(1)} s; reproduce: \`${s.command}\`.`, '', s.measures, '');
    if (s.error) {
      lines.push(`**Failed:** ${s.error}`, '');
      continue;
    }
    for (const note of s.notes ?? []) lines.push(note, '');
    // Rates first, then latencies; a section splits either into several tables with `table` on its metrics.
    const ordered = [...s.metrics.filter((m) => !isLatency(m)), ...s.metrics.filter(isLatency)];
    const tables = new Map();
    for (const m of ordered) {
      const key = `${isLatency(m) ? 'latency' : 'rate'}:${m.table ?? ''}`;
      tables.set(key, [...(tables.get(key) ?? []), m]);
    }
    for (const [key, metrics] of tables) {
      if (metrics[0].table) lines.push(`${metrics[0].table}:`, '');
      lines.push(...(key.startsWith('latency') ? latencyTable(metrics) : rateTable(metrics)), '');
    }
    for (const plot of s.plots ?? []) lines.push(`![${plot.title}](${plot.file})`, '');
  }
  return `${lines.join('\n')}\n`;
}
