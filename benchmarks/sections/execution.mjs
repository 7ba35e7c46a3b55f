/** Execution: a Python signal to its terminal report through the engine, with every risk control on. */
import { join } from 'node:path';
import { ROOT, VENV_PYTHON } from '../../scripts/bootstrap.mjs';
import { latencyMetric } from '../harness/metrics.mjs';
import { runJson, withEngine } from '../harness/processes.mjs';

export default {
  name: 'execution',
  title: 'Execution: Python signal to terminal report through the engine, risk on',
  measures: '`cwts run` on the simulated venue (5 symbols at 2,000 updates/s, every risk control on) and ' +
    'benchmarks/python/signal_round_trip.py: one market order at a time (buy, then sell), submit to FILLED report, closed loop.',
  params: { quick: { seconds: 0.5 }, full: { seconds: 3 } },
  async run(params) {
    const { result } = await withEngine(5, 2000, (name) =>
      runJson(VENV_PYTHON, [join(ROOT, 'benchmarks/python/signal_round_trip.py'), '--name', name, '--seconds', String(params.seconds)]),
    );
    return { metrics: [latencyMetric('signal to terminal report', 'ns', result.latency_ns, { curve: result.latency_ns.curve, outcomes: result.outcomes })] };
  },
};
