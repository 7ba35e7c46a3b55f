/** What one read of the segment costs from Python: the Cython shim against the pure-Python fallback. */
import { join } from 'node:path';
import { ROOT, VENV_PYTHON } from '../../scripts/bootstrap.mjs';
import { latencyMetric } from '../harness/metrics.mjs';
import { runJson, startPublisher } from '../harness/processes.mjs';
import { rmSync } from 'node:fs';

export default {
  name: 'python-read',
  title: 'Python reads: Cython snapshot against the pure-Python fallback',
  measures: 'benchmarks/python/segment_read.py on a segment holding 3 stress symbols: ticker, book depth 5 and depth 50, ' +
    'each sample the mean of 100 calls.',
  params: { quick: { seconds: 0.2 }, full: { seconds: 1 } },
  async run(params) {
    const name = `cwts-bench-read-${process.pid}`;
    const filler = await startPublisher(name, ['--seconds', '0.3', '--symbols', '3', '--keep']);
    await filler.done;
    try {
      const { result } = await runJson(VENV_PYTHON, [join(ROOT, 'benchmarks/python/segment_read.py'), '--name', name, '--seconds', String(params.seconds)]);
      const cython = Object.fromEntries(result.results.filter((r) => r.backend === 'cython').map((r) => [r.operation, r.per_call_ns]));
      return {
        metrics: result.results.map((r) =>
          latencyMetric(`${r.operation}, ${r.backend}`, 'ns', r.per_call_ns, {
            batch: result.batch,
            ratio: { to: `${r.operation}, cython`, p50: r.per_call_ns.p50 / cython[r.operation].p50, p99: r.per_call_ns.p99 / cython[r.operation].p99 },
          }),
        ),
      };
    } finally {
      rmSync(`/dev/shm/${name}`, { force: true });
    }
  },
};
