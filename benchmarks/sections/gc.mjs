/** Garbage collection and allocation in a steady run, on the engine's main thread and in its hot loop. */
import { join } from 'node:path';
import { ROOT } from '../../scripts/bootstrap.mjs';
import { latencyMetric, rateMetric } from '../harness/metrics.mjs';
import { runJson } from '../harness/processes.mjs';
import { gcWindow, parseTraceGc } from '../harness/trace-gc.mjs';
import { percentiles } from '../stats.mjs';

export default {
  name: 'gc',
  title: 'Garbage collection and allocation in a steady run',
  measures: 'benchmarks/engine-gc.mjs under node --trace-gc: the engine with the simulated venue at a fixed rate on 5 symbols ' +
    'and a Python client sending one market order at a time through the hot loop, after a 1 s warm-up. Every collection ' +
    'of the main thread and of the hot-loop worker in the window: count, pause percentiles, and the allocation rate ' +
    '(heap growth between collections). The worker\'s window is placed by its start, to within the engine\'s start-up time.',
  params: { quick: { seconds: 1, rate: 2000 }, full: { seconds: 5, rate: 2000 } },
  async run(params) {
    const { result, stdout } = await runJson(process.execPath, ['--trace-gc', '--expose-gc', join(ROOT, 'benchmarks/engine-gc.mjs'),
      '--seconds', String(params.seconds), '--rate', String(params.rate)]);
    const isolates = [...parseTraceGc(stdout)];
    // The main thread's isolate is the one with the forced ("testing") collection that opened the window.
    const main = isolates.find(([, events]) => events.some((e) => e.reason === 'testing'));
    if (!main) throw new Error('no forced collection in the --trace-gc output: cannot tell the main thread\'s isolate');
    const workers = isolates.filter((entry) => entry !== main);
    if (workers.length > 1) throw new Error(`expected one worker isolate (the hot loop), found ${workers.length}`);
    const windowMs = result.windowEndMs - result.windowStartMs;
    const threads = [['main thread', main[1], result.windowStartMs, result.windowEndMs]];
    // A worker that never collected prints nothing: no isolate line, zero collections.
    const hotLoop = workers[0]?.[1] ?? [];
    threads.push(['hot-loop worker', hotLoop, result.windowStartMs - result.engineStartMs, result.windowEndMs - result.engineStartMs]);
    const metrics = threads.flatMap(([label, events, from, to]) => {
      const w = gcWindow(events, from, to);
      return [
        latencyMetric(`${label}, GC pause`, 'ns', percentiles(w.pausesNs), { byKind: w.byKind, pauseTotalMs: w.pauseTotalMs, pauseShare: w.pauseTotalMs / windowMs }),
        rateMetric(`${label}, collections`, 'collections/s', w.pausesNs.length / (windowMs / 1000), w.pausesNs.length),
        rateMetric(`${label}, allocation`, 'MB/s', w.allocatedMB / (windowMs / 1000), w.pausesNs.length, { allocatedMB: w.allocatedMB }),
      ];
    });
    return {
      metrics,
      notes: [`Window ${(windowMs / 1000).toFixed(1)} s: ${result.updates.toLocaleString('en-US')} book updates published, ${result.orders.toLocaleString('en-US')} orders through the hot loop.`],
    };
  },
};
