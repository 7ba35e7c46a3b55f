/** The engine flat out: the simulated venue through books, validation and candles into the segment. */
import { join } from 'node:path';
import { ROOT } from '../../scripts/bootstrap.mjs';
import { latencyMetric, rateMetric } from '../harness/metrics.mjs';
import { runJson } from '../harness/processes.mjs';

export default {
  name: 'engine',
  title: 'Market data: the engine flat out (simulated venue, books, validation, candles, segment)',
  measures: 'benchmarks/engine-publish.mjs: the engine in one process with the simulated venue at full speed, for 5 and 100 ' +
    'symbols; book updates per second, receive-to-publish latency (its last 8,192 updates), RSS and heap.',
  params: { quick: { seconds: 0.5 }, full: { seconds: 3 } },
  async run(params) {
    const { result } = await runJson(process.execPath, [join(ROOT, 'benchmarks/engine-publish.mjs'), '--seconds', String(params.seconds)]);
    const metrics = result.runs.flatMap((run) => [
      rateMetric(`engine, ${run.symbols} symbols`, 'updates/s', run.updatesPerSecond, run.updates, {
        rssMiB: run.rssMiB, heapUsedMiB: run.heapUsedMiB, pinned: run.pinned,
      }),
      latencyMetric(`receive to publish, ${run.symbols} symbols`, 'ns', run.receiveToPublishNs),
    ]);
    const memory = result.runs.map((run) => `${run.symbols} symbols: RSS ${run.rssMiB.toFixed(0)} MiB, heap used ${run.heapUsedMiB.toFixed(0)} MiB.`);
    return { metrics, notes: memory };
  },
};
