/** ZeroMQ beside the segment: a market order's round trip over the control socket and over shared memory, in one engine. */
import { join } from 'node:path';
import { ROOT } from '../../scripts/bootstrap.mjs';
import { latencyMetric, withRatios } from '../harness/metrics.mjs';
import { runJson } from '../harness/processes.mjs';

export default {
  name: 'network',
  title: 'ZeroMQ control socket beside the segment (one engine, Python client in another process, closed loop)',
  measures: 'benchmarks/network-round-trip.mjs: an engine with its control socket on ipc:// and tcp:// (CURVE); a Python market order ' +
    'to its FILLED report through the segment and through each socket, and a bare ping over each socket.',
  params: { quick: { seconds: 0.5 }, full: { seconds: 3 } },
  async run(params) {
    const { result } = await runJson(process.execPath, [join(ROOT, 'benchmarks/network-round-trip.mjs'), '--seconds', String(params.seconds)]);
    const order = [
      latencyMetric('market order to FILLED, shared memory', 'ns', result.order.shm.latency_ns),
      latencyMetric('market order to FILLED, control socket ipc://', 'ns', result.order.ipc.latency_ns),
      latencyMetric('market order to FILLED, control socket tcp:// with CURVE', 'ns', result.order.tcp.latency_ns),
    ];
    return {
      metrics: [
        ...withRatios(order, order[0].name),
        latencyMetric('ping to reply, ipc://', 'ns', result.ping.ipc.latency_ns),
        latencyMetric('ping to reply, tcp:// with CURVE', 'ns', result.ping.tcp.latency_ns),
      ],
    };
  },
};
