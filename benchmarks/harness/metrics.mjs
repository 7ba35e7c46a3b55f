/**
 * The one shape every section reports, so that the report, the tables and the plots need
 * to know nothing about a section: a latency (percentiles of samples) or a rate.
 *   latency: { name, unit, p50, p90, p99, p999, max, count, ...extra }
 *   rate:    { name, unit, rate, count, ...extra }
 * `count` is the number of samples (latency) or of events the rate was counted over.
 */
export const PERCENTILE_KEYS = ['p50', 'p90', 'p99', 'p999', 'max'];

/** A latency metric from a summary with the percentile keys and `count` (stats.mjs, hdr_summary.py). */
export function latencyMetric(name, unit, summary, extra = {}) {
  const metric = { name, unit };
  for (const key of PERCENTILE_KEYS) metric[key] = summary[key];
  metric.count = summary.count;
  return { ...metric, ...extra };
}

export function rateMetric(name, unit, rate, count, extra = {}) {
  return { name, unit, rate, count, ...extra };
}

export function isLatency(metric) {
  return 'p50' in metric;
}

/** Each metric's ratio to the metric named `baseName` (p50 and p99 for latencies, the rate for rates). */
export function withRatios(metrics, baseName) {
  const base = metrics.find((m) => m.name === baseName);
  if (!base) throw new Error(`no metric named ${JSON.stringify(baseName)} to take ratios against`);
  return metrics.map((m) =>
    isLatency(m)
      ? { ...m, ratio: { to: baseName, p50: m.p50 / base.p50, p99: m.p99 / base.p99 } }
      : { ...m, ratio: { to: baseName, rate: m.rate / base.rate } },
  );
}

const finite = (x) => typeof x === 'number' && Number.isFinite(x);

/** What is wrong with `metric` (empty when nothing): the harness refuses to write a report with any. */
export function metricProblems(metric) {
  const problems = [];
  const label = typeof metric?.name === 'string' && metric.name ? metric.name : JSON.stringify(metric?.name);
  if (typeof metric?.name !== 'string' || !metric.name) problems.push(`a metric has no name (${JSON.stringify(metric)})`);
  if (typeof metric?.unit !== 'string' || !metric.unit) problems.push(`${label}: no unit`);
  if (!Number.isInteger(metric?.count) || metric.count < 0) problems.push(`${label}: count must be an integer >= 0, got ${metric?.count}`);
  if (isLatency(metric ?? {})) {
    const values = PERCENTILE_KEYS.map((k) => metric[k]);
    if (!values.every((v) => finite(v) && v >= 0)) problems.push(`${label}: ${PERCENTILE_KEYS.join('/')} must be finite numbers >= 0, got ${values.join('/')}`);
    else if (values.some((v, i) => i > 0 && v < values[i - 1])) problems.push(`${label}: percentiles must not decrease (${values.join(' / ')})`);
    else if (metric.count === 0 && values.some((v) => v !== 0)) problems.push(`${label}: percentiles of no samples must be 0`);
    if ('rate' in metric) problems.push(`${label}: both percentiles and a rate`);
  } else if (!finite(metric?.rate) || metric.rate < 0) {
    problems.push(`${label}: neither percentiles nor a finite rate >= 0 (rate ${metric?.rate})`);
  }
  return problems;
}
