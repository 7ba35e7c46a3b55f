/** Market data under load: the engine's publish to a Cython read in another process. */
import { join } from 'node:path';
import { ROOT, VENV_PYTHON } from '../../scripts/bootstrap.mjs';
import { latencyMetric } from '../harness/metrics.mjs';
import { runJson, withEngine } from '../harness/processes.mjs';

export default {
  name: 'engine-to-read',
  title: 'Market data: engine publish to a Cython read in another process, 100 symbols flat out',
  measures: '`cwts run` on the simulated venue, 100 symbols at full speed, and benchmarks/python/publish_to_read.py ' +
    '(Cython) spinning on symbol 0 in another process.',
  params: { quick: { seconds: 0.5 }, full: { seconds: 3 } },
  async run(params) {
    const { result } = await withEngine(100, 'max', (name) =>
      runJson(VENV_PYTHON, [join(ROOT, 'benchmarks/python/publish_to_read.py'), '--name', name, '--seconds', String(params.seconds), '--backend', 'cython']),
    );
    return { metrics: [latencyMetric('publish to Cython read, symbol 0 of 100', 'ns', result.latency_ns, { curve: result.latency_ns.curve })] };
  },
};
