/**
 * The benchmark suite, in the order it runs: one section a line, each a file under
 * benchmarks/sections/ whose default export is { name, title, measures, params: { quick, full },
 * run(params) -> { metrics, plots?, notes? } } (see scripts/bench.mjs, benchmarks/harness/metrics.mjs).
 */
export const SECTIONS = [
  'transport',
  'publish',
  'publish-to-read',
  'engine',
  'engine-to-read',
  'python-read',
  'execution',
  'risk',
  'kill-switch',
  'gpio-kill',
  'audit',
  'network',
  'freqtrade',
  'matcher',
  'model',
  'gc',
];
