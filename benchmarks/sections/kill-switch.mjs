/** The kill switch: engage to the flag set, and to every working order's cancel sent. */
import { join } from 'node:path';
import { ROOT } from '../../scripts/bootstrap.mjs';
import { latencyMetric } from '../harness/metrics.mjs';
import { runJson } from '../harness/processes.mjs';

export default {
  name: 'kill-switch',
  title: 'Kill switch: engage to flag, engage to cancel-all sent',
  measures: 'benchmarks/kill-switch.mjs: an engine in-process (simulated venue, FULL_AUTO, risk on), a Python strategy process that ' +
    'rests N limit orders before each round; engine.engageKill() to KILL_ENGAGED set in the segment header, and to the hot loop ' +
    'having sent every cancel (its own timestamp), then release. A kill is rare, so its path runs cold, as it would.',
  params: { quick: { rounds: 5, orders: 50 }, full: { rounds: 30, orders: 100 } },
  async run(params) {
    const { result } = await runJson(process.execPath, [join(ROOT, 'benchmarks/kill-switch.mjs'), '--rounds', String(params.rounds), '--orders', String(params.orders)]);
    return {
      metrics: [
        latencyMetric('engage to KILL_ENGAGED set', 'ns', result.engageToFlagNs),
        latencyMetric(`engage to every cancel sent (${result.workingOrders} working orders)`, 'ns', result.engageToCancelAllSentNs),
      ],
    };
  },
};
