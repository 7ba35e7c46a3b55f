/** Market data into the segment: what one seqlock publish of a full book costs the Node side. */
import { join } from 'node:path';
import { ROOT } from '../../scripts/bootstrap.mjs';
import { latencyMetric, rateMetric } from '../harness/metrics.mjs';
import { runJson } from '../harness/processes.mjs';

export default {
  name: 'publish',
  title: 'Market data: seqlock publish of a 50-level book into the segment (Node)',
  measures: 'benchmarks/segment-publish.mjs: a slot plus 50 bid and 50 ask levels written under the seqlock, no reader attached, ' +
    'for 1 and 10 symbols; each sample is the mean of a batch of 64 publishes.',
  params: { quick: { seconds: 0.5 }, full: { seconds: 3 } },
  async run(params) {
    const { result } = await runJson(process.execPath, [join(ROOT, 'benchmarks/segment-publish.mjs'), '--seconds', String(params.seconds)]);
    const metrics = result.runs.flatMap((run) => {
      const symbols = run.symbols === 1 ? '1 symbol' : `${run.symbols} symbols`;
      return [
        rateMetric(`publish, ${symbols}`, 'updates/s', run.updatesPerSecond, run.updates),
        latencyMetric(`one publish, ${symbols} (batch mean)`, 'ns', run.perPublishNs, { batch: result.batch }),
      ];
    });
    return {
      metrics,
      plots: [{ kind: 'bars', file: 'publish-throughput.svg', title: 'Publish into the segment, updates/s', metrics: metrics.filter((m) => m.unit === 'updates/s').map((m) => m.name) }],
    };
  },
};
