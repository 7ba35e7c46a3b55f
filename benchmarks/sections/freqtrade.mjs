/** FreqTrade on the engine: its loop with one open trade, and dp.orderbook() through the adapter against the raw bridge. */
import { join } from 'node:path';
import { ROOT, VENV_PYTHON } from '../../scripts/bootstrap.mjs';
import { latencyMetric, withRatios } from '../harness/metrics.mjs';
import { runJson, withEngine } from '../harness/processes.mjs';

export default {
  name: 'freqtrade',
  title: 'FreqTrade against the engine (simulated venue, 5 symbols at 2,000 updates/s)',
  measures: 'benchmarks/python/freqtrade_loop.py: a FreqtradeBot on the cwts exchange holding one open trade, each bot.process() ' +
    'timed (the loop without its throttle sleep); dp.orderbook(pair, 10) through the adapter, and bridge.book(pair, 10) as the peer.',
  params: { quick: { seconds: 0.5 }, full: { seconds: 3 } },
  async run(params) {
    const { result } = await withEngine(5, 2000, (name, candles) =>
      runJson(VENV_PYTHON, [join(ROOT, 'benchmarks/python/freqtrade_loop.py'), '--name', name, '--candles', candles, '--seconds', String(params.seconds)]),
    { keepCandles: true });
    const raw = latencyMetric('peer: bridge.book(pair, 10), the raw bridge', 'ns', result.orderbook.raw_bridge_ns);
    return {
      metrics: [
        latencyMetric('FreqTrade loop (bot.process()), one open trade', 'ns', result.loop_ns),
        ...withRatios([latencyMetric('dp.orderbook(pair, 10) through the adapter', 'ns', result.orderbook.adapter_ns), raw], raw.name),
      ],
    };
  },
};
