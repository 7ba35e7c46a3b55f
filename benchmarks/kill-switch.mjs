#!/usr/bin/env node
/**
 * The kill switch: from engine.engageKill() to the flag set in the segment header (what
 * strategies see at once), and to the hot loop having sent the cancel of every working order
 * (N resting orders, placed by a Python strategy process before each round). Rounds of engage,
 * measure, release. Prints one JSON line.
 *   node benchmarks/kill-switch.mjs [--rounds R] [--orders N]
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { Engine } from '../packages/engine/dist/index.js';
import { VENV_PYTHON } from '../scripts/bootstrap.mjs';
import { engineConfig } from './harness/processes.mjs';
import { percentiles } from './stats.mjs';

const arg = (name, fallback) => (process.argv.includes(name) ? Number(process.argv[process.argv.indexOf(name) + 1]) : fallback);
const ROUNDS = arg('--rounds', 30);
const ORDERS = arg('--orders', 100);

const dir = mkdtempSync(join(tmpdir(), 'cwts-bench-kill-'));
const name = `cwts-bench-kill-${process.pid}`;
const engine = await Engine.start(engineConfig(name, 5, 2000, dir));
const strategy = spawn(VENV_PYTHON, [join(import.meta.dirname, 'python/rest_orders.py'), '--name', name, '--orders', String(ORDERS)], { stdio: ['pipe', 'pipe', 'inherit'] });
const lines = createInterface({ input: strategy.stdout })[Symbol.asyncIterator]();
const hotLoop = (engaged) => new Promise((resolve) => {
  const off = engine.on('kill', (k) => k.cancelled !== undefined && k.engaged === engaged && (off(), resolve(k)));
});
try {
  await new Promise((r) => setTimeout(r, 500)); // books fill, the JIT warms
  const flag = [];
  const cancelAll = [];
  const cancelled = [];
  for (let round = 0; round < ROUNDS; round++) {
    strategy.stdin.write('go\n');
    const reply = await lines.next();
    if (reply.value !== 'ready') throw new Error(`the strategy process said ${JSON.stringify(reply.value)}, not 'ready'`);
    const answered = hotLoop(true);
    const engaged = new Promise((resolve) => {
      const off = engine.on('kill', (k) => k.flagSetAfterNs !== undefined && (off(), resolve(k)));
    });
    engine.engageKill('benchmark');
    const [api, loop] = await Promise.all([engaged, answered]);
    flag.push(api.flagSetAfterNs);
    cancelAll.push(loop.cancelAllSentAfterNs);
    cancelled.push(loop.cancelled);
    const released = hotLoop(false);
    engine.releaseKill('benchmark');
    await released;
  }
  console.log(JSON.stringify({
    benchmark: 'kill-switch', rounds: ROUNDS, workingOrders: ORDERS, cancelledPerRound: percentiles(cancelled),
    engageToFlagNs: percentiles(flag), engageToCancelAllSentNs: percentiles(cancelAll),
  }));
} finally {
  strategy.stdin.end();
  await engine.stop();
  rmSync(dir, { recursive: true, force: true });
}
