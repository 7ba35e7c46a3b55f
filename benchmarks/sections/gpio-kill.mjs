/** The GPIO kill line, on a stand-in line: edge to flag in the watcher thread, and to a JS callback. */
import { gpioKillLatency } from '../gpio-kill.mjs';
import { latencyMetric, withRatios } from '../harness/metrics.mjs';

export default {
  name: 'gpio-kill',
  title: 'GPIO kill line (a stand-in line: a FIFO fed with gpio_v2_line_event structs)',
  measures: 'benchmarks/gpio-kill.mjs: the native watcher thread on a stand-in line fd; a written edge to KILL_ENGAGED seen by a ' +
    'spinning reader, the event timestamp to the flag set inside the watcher, and as the peer the written edge to the JS callback.',
  params: { quick: { edges: 1000 }, full: { edges: 5000 } },
  async run(params) {
    const g = await gpioKillLatency({ edges: params.edges });
    const toFlag = latencyMetric('write to KILL_ENGAGED seen by a spinning reader', 'ns', g.writeToFlagNs);
    return {
      metrics: [
        ...withRatios([toFlag, latencyMetric('peer: write to the JS callback', 'ns', g.writeToCallbackNs)], toFlag.name),
        latencyMetric('event timestamp to flag set, inside the watcher thread', 'ns', g.watcherEdgeToFlagNs),
      ],
    };
  },
};
