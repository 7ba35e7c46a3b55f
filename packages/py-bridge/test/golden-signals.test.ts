/**
 * Python writes, TS decodes: a Python process attaches to a copy of the golden image and
 * submits the golden signals through the Cython shim; the engine's consumer takes them
 * and every field must be what golden/segment-v1.json says.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
// @ts-expect-error: plain ESM build helpers shared with scripts/test.mjs
import { ROOT, VENV_PYTHON } from '../../../scripts/bootstrap.mjs';
import { Segment } from '../src/segment.js';
import { SignalConsumer, emptySignal, type Signal } from '../src/signal-consumer.js';

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

describe('golden signals: Python writes, TS decodes', () => {
  afterAll(() => Segment.unlink(NAME));

  it('decodes every field of every signal Python submitted, in order', () => {
    writeFileSync(`/dev/shm/${NAME}`, readFileSync(join(GOLDEN, 'segment-v1.bin')), { mode: 0o600 });
    const python = spawnSync(VENV_PYTHON, ['-c', WRITER, NAME, JSON.stringify(golden.signals)], { encoding: 'utf8' });
    expect(python.status, python.stderr).toBe(0);
    const ids = JSON.parse(python.stdout) as number[];
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
      expect(got.producerPid).toBe(python.pid);
      expect(got.createdNs).toBeGreaterThan(0);
    });
    expect(consumer.poll(emptySignal())).toBe(false);
  });
});
