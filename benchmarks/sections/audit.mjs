/** The audit trail: appends per second, and the cost of one flushed batch, by durability. */
import { join } from 'node:path';
import { ROOT } from '../../scripts/bootstrap.mjs';
import { latencyMetric, rateMetric, withRatios } from '../harness/metrics.mjs';
import { runJson } from '../harness/processes.mjs';

export default {
  name: 'audit',
  title: 'Audit trail: SHA-256 hash-chained appends into SQLite',
  measures: 'benchmarks/audit-append.mjs: reports appended in batches (one transaction and one head-file move per batch, as the engine ' +
    'drains), with durability FULL (fsync per batch), NORMAL (none) and an in-memory database as the floor; the chain is verified after.',
  params: { quick: { seconds: 0.5, batch: 100 }, full: { seconds: 3, batch: 100 } },
  async run(params) {
    const { result } = await runJson(process.execPath, [join(ROOT, 'benchmarks/audit-append.mjs'), '--seconds', String(params.seconds), '--batch', String(params.batch)]);
    const label = (d) => (d === 'memory' ? 'in memory' : d);
    const rates = result.runs.map((r) => rateMetric(`appends, ${label(r.durability)}`, 'records/s', r.recordsPerSecond, r.records));
    const flushes = result.runs.map((r) => latencyMetric(`one flush of ${result.batch}, ${label(r.durability)}`, 'ns', r.flushNs));
    return { metrics: [...withRatios(rates, 'appends, in memory'), ...withRatios(flushes, `one flush of ${result.batch}, in memory`)] };
  },
};
