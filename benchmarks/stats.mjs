/** Percentiles of raw samples (nearest rank), the shape every benchmark reports. */
export function percentiles(samples) {
  const sorted = Float64Array.from(samples).sort();
  const at = (p) => (sorted.length ? sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))] : 0);
  return { p50: at(0.5), p90: at(0.9), p99: at(0.99), p999: at(0.999), max: sorted.length ? sorted[sorted.length - 1] : 0, count: sorted.length };
}
