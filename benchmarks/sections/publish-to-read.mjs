/** Market data across processes: from the publish in Node to the read in another process. */
import { join } from 'node:path';
import { ROOT, VENV_PYTHON } from '../../scripts/bootstrap.mjs';
import { buildCPrograms } from '../../scripts/c-programs.mjs';
import { latencyMetric, withRatios } from '../harness/metrics.mjs';
import { PINNING, runJson, startPublisher } from '../harness/processes.mjs';

const PACE_US = 20;

export default {
  name: 'publish-to-read',
  title: `Market data: one-way publish to read across processes (one update every ${PACE_US} µs)`,
  measures: `A paced \`cwts stress-publish\` (one symbol, one update every ${PACE_US} µs) and a reader spinning on it in ` +
    'another process: Cython, pure Python (benchmarks/python/publish_to_read.py) and C (stress_check); each new update ' +
    'seen records CLOCK_MONOTONIC now minus its publish_ts_ns.',
  params: { quick: { seconds: 0.5 }, full: { seconds: 3 } },
  async run(params) {
    const { stress_check: cReader } = buildCPrograms();
    const name = `cwts-bench-latency-${process.pid}`;
    const paced = await startPublisher(name, ['--seconds', String(3 * params.seconds + 5), '--symbols', '1', '--interval-us', String(PACE_US)]);
    try {
      const readers = [];
      for (const backend of ['cython', 'python']) {
        const { result } = await runJson(VENV_PYTHON, [join(ROOT, 'benchmarks/python/publish_to_read.py'), '--name', name, '--seconds', String(params.seconds), '--backend', backend], { core: PINNING?.client });
        readers.push(latencyMetric(`${backend} reader`, 'ns', result.latency_ns, { curve: result.latency_ns.curve }));
      }
      const { result: c } = await runJson(cReader, [name, String(params.seconds), '1'], { core: PINNING?.client });
      readers.push(latencyMetric('C reader', 'ns', c.latency_ns, { torn: c.torn }));
      return { metrics: withRatios(readers, 'C reader'), notes: [`The publisher writes one update every ${PACE_US} µs.`] };
    } finally {
      paced.child.kill('SIGINT');
      await paced.done;
    }
  },
};
