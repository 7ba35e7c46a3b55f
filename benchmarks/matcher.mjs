#!/usr/bin/env node
/**
 * The matcher on one order stream, four ways: the C++ book alone, through Node-API one
 * command per call, through Node-API in batches of 256, and nodejs-order-book (pure JS)
 * as the peer. The stream (seeded) is 60 % limit orders around a mid, 25 % cancels of
 * working orders, 15 % market orders. Prints one JSON line.
 *   node benchmarks/matcher.mjs [--orders N]
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Matcher, COMMAND_FIELDS, OrderType, Side, writeCommand } from '@cwts/matcher';
import { OrderBook as PeerBook } from 'nodejs-order-book';
import { buildMatcherBench } from '../scripts/c-programs.mjs';
import { percentiles } from './stats.mjs';

const ordersArg = process.argv.indexOf('--orders');
const ORDERS = ordersArg > 0 ? Number(process.argv[ordersArg + 1]) : 200_000;
const BATCH = 256;

function stream(n) {
  let s = 42;
  const rand = (k) => ((s = (Math.imul(s, 1664525) + 1013904223) >>> 0), s % k);
  const commands = [];
  const live = [];
  for (let id = 1; commands.length < n; id++) {
    const r = rand(100);
    if (r < 25 && live.length) {
      const at = rand(live.length);
      commands.push({ op: 'cancel', id: live[at] });
      live[at] = live[live.length - 1];
      live.pop();
    } else if (r < 40) {
      commands.push({ op: 'submit', id, owner: 1 + rand(50), side: rand(2), type: OrderType.MARKET, price: 0, qty: 1 + rand(10) });
    } else {
      const side = rand(2);
      // Around a mid of 10,000 ticks: mostly resting, some crossing by a tick or two.
      const price = side === Side.BUY ? 10_000 - rand(50) + 2 : 10_000 + rand(50) - 2;
      commands.push({ op: 'submit', id, owner: 1 + rand(50), side, price, qty: 1 + rand(10) });
      live.push(id);
    }
  }
  return commands;
}

function timeEach(commands, run) {
  const samples = new Float64Array(commands.length);
  const start = process.hrtime.bigint();
  for (let i = 0; i < commands.length; i++) {
    const t0 = process.hrtime.bigint();
    run(commands[i], i);
    samples[i] = Number(process.hrtime.bigint() - t0);
  }
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  return { operations: commands.length, opsPerSecond: commands.length / seconds, perOpNs: percentiles(samples) };
}

const commands = stream(ORDERS);
const rows = new Float64Array(commands.length * COMMAND_FIELDS);
commands.forEach((c, i) => writeCommand(rows, i, c));

// C++ alone, reading the same rows from a file.
const dir = mkdtempSync(join(tmpdir(), 'cwts-matcher-'));
const file = join(dir, 'stream.f64');
writeFileSync(file, Buffer.from(rows.buffer));
const native = spawnSync(buildMatcherBench(), [file], { encoding: 'utf8' });
rmSync(dir, { recursive: true, force: true });
if (native.status !== 0) throw new Error(`matcher_bench failed: ${native.stderr}`);
const cpp = JSON.parse(native.stdout);

// Warm each JS path once on a fresh book, then measure on another.
const perCall = () => {
  const m = new Matcher(1 << 16);
  return timeEach(commands, (_, i) => m.execute(rows.subarray(i * COMMAND_FIELDS, (i + 1) * COMMAND_FIELDS), 1));
};
perCall();
const jsPerCall = perCall();

const batched = () => {
  const m = new Matcher(1 << 16);
  const samples = [];
  const start = process.hrtime.bigint();
  for (let i = 0; i < commands.length; i += BATCH) {
    const n = Math.min(BATCH, commands.length - i);
    const t0 = process.hrtime.bigint();
    m.execute(rows.subarray(i * COMMAND_FIELDS, (i + n) * COMMAND_FIELDS), n);
    samples.push(Number(process.hrtime.bigint() - t0) / n);
  }
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  return { operations: commands.length, opsPerSecond: commands.length / seconds, perOpNs: percentiles(samples), batch: BATCH };
};
batched();
const jsBatched = batched();

const peer = () => {
  const book = new PeerBook();
  return timeEach(commands, (c) => {
    if (c.op === 'cancel') book.cancel(String(c.id));
    else if (c.type === OrderType.MARKET) book.market({ side: c.side === Side.BUY ? 'buy' : 'sell', size: c.qty });
    else book.limit({ side: c.side === Side.BUY ? 'buy' : 'sell', id: String(c.id), size: c.qty, price: c.price });
  });
};
peer();
const nodejsOrderBook = peer();

console.log(JSON.stringify({ benchmark: 'matcher', orders: ORDERS, cpp, jsPerCall, jsBatched, nodejsOrderBook }));
