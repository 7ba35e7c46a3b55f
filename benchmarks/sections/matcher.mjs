/** The matcher on one order stream: C++ alone, through Node-API per call and batched, and a pure-JS peer. */
import { join } from 'node:path';
import { ROOT } from '../../scripts/bootstrap.mjs';
import { latencyMetric, rateMetric, withRatios } from '../harness/metrics.mjs';
import { runJson } from '../harness/processes.mjs';

export default {
  name: 'matcher',
  title: 'Matcher: one order stream (60 % limit, 25 % cancel, 15 % market), four ways',
  measures: 'benchmarks/matcher.mjs: the C++ book alone (each operation timed with steady_clock, whose cost is included), ' +
    'through Node-API one call per operation, in batches of 256 (per-operation share of a batch), and nodejs-order-book ' +
    'on the same seeded stream.',
  params: { quick: { orders: 50_000 }, full: { orders: 200_000 } },
  async run(params) {
    const { result } = await runJson(process.execPath, [join(ROOT, 'benchmarks/matcher.mjs'), '--orders', String(params.orders)]);
    const paths = [
      ['C++ alone', result.cpp],
      ['Node-API, per call', result.jsPerCall],
      [`Node-API, batches of ${result.jsBatched.batch}`, result.jsBatched],
      ['nodejs-order-book', result.nodejsOrderBook],
    ];
    const rates = paths.map(([label, x]) => rateMetric(label, 'operations/s', x.opsPerSecond, x.operations));
    const latencies = paths.map(([label, x]) => latencyMetric(`${label}, per operation`, 'ns', x.perOpNs));
    return {
      metrics: [...withRatios(rates, 'nodejs-order-book'), ...withRatios(latencies, 'nodejs-order-book, per operation')],
      plots: [{ kind: 'bars', file: 'matcher-throughput.svg', title: `Matcher, operations/s (${params.orders.toLocaleString('en-US')} orders)`, metrics: rates.map((m) => m.name) }],
    };
  },
};
