/** Node to Python round trips of one 128-byte message on each transport, closed and open loop. */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';
import { ROOT, VENV_PYTHON } from '../../scripts/bootstrap.mjs';
import { latencyMetric, withRatios } from '../harness/metrics.mjs';
import { PINNING, runJson, startPeer } from '../harness/processes.mjs';

const TRANSPORTS = [
  ['shm-spin', 'shared memory, spinning'],
  ['shm-futex', 'shared memory, futex wake'],
  ['unix', 'Unix domain socket'],
  ['zeromq-ipc', 'ZeroMQ ipc'],
  ['zeromq-tcp', 'ZeroMQ tcp loopback'],
  ['tcp', 'TCP loopback'],
];

async function measure(transport, params) {
  const dir = mkdtempSync(join(os.tmpdir(), 'cwts-bench-transport-'));
  const echo = await startPeer(process.execPath, [join(ROOT, 'benchmarks/transport-echo.mjs'), '--transport', transport, '--dir', dir], { core: PINNING?.peer });
  try {
    const { result } = await runJson(VENV_PYTHON, [join(ROOT, 'benchmarks/python/transport_client.py'), '--transport', transport,
      '--address', echo.ready.address, '--seconds', String(params.seconds), '--rate', String(params.rate)], { core: PINNING?.client });
    return result;
  } finally {
    await echo.stop();
    if (transport.startsWith('shm')) rmSync(`/dev/shm/${echo.ready.address}`, { force: true });
    rmSync(dir, { recursive: true, force: true });
  }
}

export default {
  name: 'transport',
  title: 'Transports: Node to Python round trip of one 128-byte message',
  measures:
    'A Node echo (benchmarks/transport-echo.mjs) and a Python client process (benchmarks/python/transport_client.py), ' +
    'pinned to different cores when possible. Shared memory is the segment\'s own path: a 128-byte signal slot in, a ' +
    '128-byte report slot back, with both sides spinning, or both asleep on futexes (the Node consumer in futexWait, ' +
    'Python in the Cython shim\'s wait). Sockets echo the same 128 bytes. Closed loop: back to back. Open loop: one ' +
    'message every 1/rate s, timed from when it was due (coordinated omission corrected). HDR histograms in the client.',
  params: { quick: { seconds: 0.5, rate: 1000 }, full: { seconds: 3, rate: 1000 } },
  async run(params) {
    const closed = [];
    const opened = [];
    for (const [transport, label] of TRANSPORTS) {
      const result = await measure(transport, params);
      closed.push(latencyMetric(`${label}, closed loop`, 'ns', result.closed_loop_ns, { transport, table: 'Closed loop', curve: result.closed_loop_ns.curve }));
      opened.push(latencyMetric(`${label}, open loop at ${params.rate}/s`, 'ns', result.open_loop_ns,
        { transport, table: `Open loop, ${params.rate} messages/s, coordinated omission corrected`, curve: result.open_loop_ns.curve, sentLate: result.open_loop_ns.sent_late }));
    }
    const late = opened.map((m) => `${m.transport} ${m.sentLate} of ${m.count}`).join(', ');
    return {
      notes: [`Open loop, messages sent later than one interval after they were due (held up by the one before): ${late}.`],
      metrics: [...withRatios(closed, closed[0].name), ...withRatios(opened, opened[0].name)],
      plots: [
        { kind: 'percentiles', file: 'transport-closed-loop.svg', title: 'Round trip, closed loop (128 B, Node echo, Python client)', metrics: closed.map((m) => m.name) },
        { kind: 'percentiles', file: 'transport-open-loop.svg', title: `Round trip, open loop at ${params.rate}/s, CO-corrected`, metrics: opened.map((m) => m.name) },
      ],
    };
  },
};
