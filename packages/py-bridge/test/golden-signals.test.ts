/**
 * Python writes, TS decodes: a Python process attaches to a copy of the golden image and
 * submits the golden signals through the Cython shim; the engine's consumer takes them
 * and every field must be what golden/segment-v1.json says. The engine's own producer
 * (SignalProducer, for signals from the network) must write the very same signals.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { SIGNAL_CAPACITY } from '@cwts/shm-layout';
import { afterAll, describe, expect, it } from 'vitest';
// @ts-expect-error: plain ESM build helpers shared with scripts/test.mjs
import { ROOT, VENV_PYTHON } from '../../../scripts/bootstrap.mjs';
import { Segment } from '../src/segment.js';
import { SignalConsumer, emptySignal, type Signal } from '../src/signal-consumer.js';
import { SignalProducer, SignalProducerError } from '../src/signal-producer.js';

const GOLDEN = join(ROOT, 'packages/shm-layout/golden');
const golden = JSON.parse(readFileSync(join(GOLDEN, 'segment-v1.json'), 'utf8')) as {
  symbols: { index: number; name: string }[];
  next_client_order_id: number;
  signals: Record<string, number | string>[];
};
const NAME = `cwts-golden-signals-${process.pid}`;

const WRITER = `
import json, sys
import cwts
bridge = cwts.Bridge.attach(sys.argv[1], backend="cython")
ids = []
for s in json.loads(sys.argv[2]):
    if s["action"] == cwts.SignalAction.CANCEL:
        ids.append(bridge.cancel(s["target_client_order_id"], s["symbol"], strategy_id=s["strategy_id"], check_engine=False))
    else:
        ids.append(bridge.submit(s["symbol"], cwts.SignalAction(s["action"]), s["size"], s["price"],
            order_type=cwts.OrderType(s["order_type"]), time_in_force=cwts.TimeInForce(s["time_in_force"]),
            strategy_id=s["strategy_id"], confidence=s["confidence"], check_engine=False))
print(json.dumps(ids))
`;

/** Submits the golden signals into segment NAME; returns their client order ids and the writer's pid. */
type Writer = () => { ids: number[]; pid: number };

const pythonWriter: Writer = () => {
  const python = spawnSync(VENV_PYTHON, ['-c', WRITER, NAME, JSON.stringify(golden.signals)], { encoding: 'utf8' });
  expect(python.status, python.stderr).toBe(0);
  return { ids: JSON.parse(python.stdout) as number[], pid: python.pid };
};

const nodeWriter: Writer = () => {
  const producer = new SignalProducer(Segment.attach(NAME));
  const ids = golden.signals.map((s) => producer.submit({
    action: Number(s.action), orderType: Number(s.order_type), timeInForce: Number(s.time_in_force), strategyId: Number(s.strategy_id),
    symbolIndex: golden.symbols.find((x) => x.name === s.symbol)!.index, size: Number(s.size), price: Number(s.price),
    confidence: Number(s.confidence), targetClientOrderId: Number(s.target_client_order_id), flags: 0, clientOrderId: 0,
  }).clientOrderId);
  return { ids, pid: process.pid };
};

describe.each([['Python (Cython shim)', pythonWriter], ['Node (SignalProducer)', nodeWriter]] as const)('golden signals: %s writes, TS decodes', (_, write) => {
  afterAll(() => Segment.unlink(NAME));

  it('decodes every field of every signal submitted, in order', () => {
    writeFileSync(`/dev/shm/${NAME}`, readFileSync(join(GOLDEN, 'segment-v1.bin')), { mode: 0o600 });
    const { ids, pid } = write();
    expect(ids).toEqual(golden.signals.map((_, i) => golden.next_client_order_id + i));

    const consumer = new SignalConsumer(Segment.attach(NAME));
    const decoded: Signal[] = [];
    for (let signal = emptySignal(); consumer.poll(signal); signal = emptySignal()) decoded.push(signal);
    expect(decoded).toHaveLength(golden.signals.length);
    golden.signals.forEach((want, i) => {
      const got = decoded[i]!;
      const symbolIndex = golden.symbols.find((s) => s.name === want.symbol)!.index;
      expect(got).toMatchObject({
        position: i,
        action: want.action,
        symbolIndex,
        strategyId: want.strategy_id,
        clientOrderId: ids[i],
        targetClientOrderId: want.target_client_order_id,
        flags: 0,
      });
      if (want.action !== 3) {
        expect(got).toMatchObject({ orderType: want.order_type, timeInForce: want.time_in_force, size: want.size, price: want.price, confidence: want.confidence });
      }
      expect(got.producerPid).toBe(pid);
      expect(got.createdNs).toBeGreaterThan(0);
    });
    expect(consumer.poll(emptySignal())).toBe(false);
  });
});

describe('SignalProducer on a full ring', () => {
  afterAll(() => Segment.unlink(NAME));

  it('refuses with RING_FULL, writes nothing, and goes on once the consumer takes one', () => {
    writeFileSync(`/dev/shm/${NAME}`, readFileSync(join(GOLDEN, 'segment-v1.bin')), { mode: 0o600 });
    const segment = Segment.attach(NAME);
    const producer = new SignalProducer(segment);
    const signal = { action: 1, orderType: 0, timeInForce: 0, strategyId: 1, symbolIndex: 0, size: 1, price: 1, confidence: 1, targetClientOrderId: 0, flags: 0, clientOrderId: 0 };
    const capacity = SIGNAL_CAPACITY;
    for (let i = 0; i < capacity; i++) producer.submit(signal);
    const refused = (() => {
      try {
        producer.submit(signal);
        return undefined;
      } catch (error) {
        return error;
      }
    })();
    expect(refused).toBeInstanceOf(SignalProducerError);
    expect(refused).toMatchObject({ code: 'RING_FULL' });
    const consumer = new SignalConsumer(segment);
    const taken = emptySignal();
    expect(consumer.poll(taken)).toBe(true);
    expect(producer.submit({ ...signal, clientOrderId: 77 })).toMatchObject({ clientOrderId: 77, position: capacity });
    let count = 1;
    while (consumer.poll(taken)) count++;
    expect(count).toBe(capacity + 1);
    expect(taken).toMatchObject({ position: capacity, clientOrderId: 77 });
  });
});
