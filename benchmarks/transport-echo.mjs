#!/usr/bin/env node
/**
 * The Node side of the transport round trips: echoes each 128-byte message from a Python
 * client (benchmarks/python/transport_client.py) on one transport, until it is killed.
 * Prints one JSON line when it is ready: { transport, address }.
 *   node benchmarks/transport-echo.mjs --transport T --dir DIR
 * T: shm-spin, shm-futex (the segment's signal ring in, its report ring out: both 128-byte
 * slots), unix, tcp, zeromq-ipc, zeromq-tcp (the same 128 bytes back).
 */
import net from 'node:net';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { ReportPublisher, Segment, SignalConsumer, emptySignal } from '@cwts/py-bridge';

function ready(address) {
  process.stdout.write(`${JSON.stringify({ transport: values.transport, address })}\n`);
}

/**
 * The engine's own path, without the engine: SignalConsumer takes the client's signal, and
 * ReportPublisher answers with a report carrying its client order id. Blocks this thread for
 * good (spin: polls without end; futex: sleeps on the consumer's futex between signals), so
 * SIGTERM ends it at once and the harness unlinks the segment, whose name is the address.
 */
function echoSharedMemory(spin) {
  const name = `cwts-bench-transport-${process.pid}`;
  const segment = Segment.create({ name, replace: true });
  const consumer = new SignalConsumer(segment);
  const publisher = new ReportPublisher(segment);
  const signal = emptySignal();
  const report = { kind: 0, reason: 0, clientOrderId: 0, strategyId: 0, symbolIndex: 0, signalPosition: 0, fillSize: 0, fillPrice: 0, cumulativeFilled: 0, remaining: 0, orderId: 0 };
  ready(name);
  for (;;) {
    const got = spin ? consumer.poll(signal) : consumer.waitForSignal(signal, 1000, 0);
    if (!got) continue;
    report.clientOrderId = signal.clientOrderId;
    report.strategyId = signal.strategyId;
    report.signalPosition = signal.position;
    report.fillSize = signal.size;
    publisher.publish(report);
  }
}

/** A stream echo: the client reads back exactly the bytes it wrote. */
function echoSocket(listen) {
  const server = net.createServer((socket) => {
    socket.setNoDelay(true);
    socket.on('data', (chunk) => socket.write(chunk));
    socket.on('error', () => socket.destroy()); // a client that goes away mid-write ends only its own connection
  });
  server.listen(...listen, () => {
    const address = server.address();
    ready(typeof address === 'string' ? address : `${address.address}:${address.port}`);
  });
}

async function echoZeroMq(endpoint) {
  const { Reply } = await import('zeromq');
  const socket = new Reply();
  await socket.bind(endpoint);
  ready(socket.lastEndpoint);
  for await (const [message] of socket) await socket.send(message);
}

const { values } = parseArgs({ options: { transport: { type: 'string' }, dir: { type: 'string', default: '.' } } });
switch (values.transport) {
  case 'shm-spin':
  case 'shm-futex':
    echoSharedMemory(values.transport === 'shm-spin');
    break;
  case 'unix':
    echoSocket([join(values.dir, 'echo.sock')]);
    break;
  case 'tcp':
    echoSocket([0, '127.0.0.1']);
    break;
  case 'zeromq-ipc':
    await echoZeroMq(`ipc://${join(values.dir, 'echo.zmq')}`);
    break;
  case 'zeromq-tcp':
    await echoZeroMq('tcp://127.0.0.1:*');
    break;
  default:
    console.error(`transport-echo.mjs: --transport must be shm-spin, shm-futex, unix, tcp, zeromq-ipc or zeromq-tcp, got ${JSON.stringify(values.transport)}`);
    process.exit(2);
}
