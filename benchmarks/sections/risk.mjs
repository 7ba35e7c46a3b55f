/** Pre-trade risk: one check of a new order with every control on. */
import { join } from 'node:path';
import { ROOT } from '../../scripts/bootstrap.mjs';
import { latencyMetric, rateMetric } from '../harness/metrics.mjs';
import { runJson } from '../harness/processes.mjs';

export default {
  name: 'risk',
  title: 'Pre-trade risk: one check, every control on',
  measures: 'benchmarks/risk-check.mjs: PreTradeRisk.check on a seeded stream over 5 symbols and 16 strategies, limits set so every ' +
    'control runs and none refuses; each check timed alone with process.hrtime.bigint(), whose own cost is the peer row.',
  params: { quick: { checks: 100_000 }, full: { checks: 1_000_000 } },
  async run(params) {
    const { result } = await runJson(process.execPath, [join(ROOT, 'benchmarks/risk-check.mjs'), '--checks', String(params.checks)]);
    return {
      metrics: [
        latencyMetric(`one check, all ${result.controls} controls`, 'ns', result.perCheckNs),
        latencyMetric('peer: the timer alone (an empty timed pair)', 'ns', result.timerNs),
        rateMetric('checks per second, timer included', 'checks/s', result.checksPerSecond, result.checks),
      ],
    };
  },
};
