#!/usr/bin/env node
/**
 * `npm run bench [-- --quick]`: the benchmark suite. Bootstraps, runs each benchmark in
 * its own process(es) on this machine, and writes benchmarks/results/latest.json (every
 * metric with its unit, percentiles, sample count, machine, command) and latest.md.
 */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';
import { ROOT, VENV_PYTHON, bootstrap } from './bootstrap.mjs';
import { buildCPrograms } from './c-programs.mjs';

const quick = process.argv.includes('--quick');
const SECONDS = quick ? 0.5 : 3;
const CLI = join(ROOT, 'packages/engine/dist/cli/main.js');
const RESULTS = join(ROOT, 'benchmarks/results');
const PACE_US = 20;

function progress(message) {
  process.stderr.write(`[bench] ${message}\n`);
}

function lastJsonLine(command, args) {
  const result = spawnSync(command, args, { cwd: ROOT, encoding: 'utf8' });
  if (result.status !== 0) throw new Error(`${command} ${args.join(' ')} failed (exit ${result.status}): ${result.stderr}`);
  return JSON.parse(result.stdout.trim().split('\n').at(-1));
}

/** Starts a stress publisher in the background; resolves once its segment exists. */
async function startPublisher(name, args) {
  const child = spawn(process.execPath, [CLI, 'stress-publish', '--name', name, '--json', ...args], { stdio: ['ignore', 'pipe', 'ignore'] });
  let stdout = '';
  child.stdout.on('data', (chunk) => (stdout += chunk));
  const done = new Promise((resolve) => child.on('exit', (code) => resolve({ code, stdout })));
  for (let i = 0; i < 500 && !existsSync(`/dev/shm/${name}`); i++) await new Promise((r) => setTimeout(r, 10));
  return { child, done };
}

/**
 * Runs `cwts run` on the simulated venue (`symbols` symbols, `rate` updates/s or 'max') around
 * `measure(name, candles)`; with `keepCandles`, the 1m candles go to `candles`, a file readers can open.
 */
async function withEngine(symbols, rate, measure, { keepCandles = false } = {}) {
  const name = `cwts-bench-engine-${process.pid}`;
  const dir = mkdtempSync(join(os.tmpdir(), 'cwts-bench-'));
  const config = join(dir, 'engine.json');
  const { benchSymbols } = await import('../benchmarks/engine-symbols.mjs');
  const feed = { type: 'simulated', eventsPerSecond: rate, ...(symbols === 5 ? {} : { symbols: benchSymbols(symbols) }) };
  // The round trip runs with every risk control on (limits it never reaches).
  const risk = { account: { creditLimit: 1e12 }, strategies: { '*': { maxOrderSize: 1e6, maxOrderValue: 1e12, creditLimit: 1e12, priceCollarPct: 50, maxOrdersPerSecond: 1e6, duplicateWindowMs: 0, maxFillsPerMinute: 1e9 } } };
  const candles = keepCandles ? { database: join(dir, 'candles.sqlite'), timeframes: ['1m'], flushMs: 500 } : { database: ':memory:' };
  writeFileSync(config, JSON.stringify({ segment: { name }, feeds: [feed], candles, execution: { database: ':memory:' }, audit: { database: ':memory:' }, modes: { initial: 'FULL_AUTO' }, risk }));
  const engine = spawn(process.execPath, [CLI, 'run', '--config', config], { stdio: ['ignore', 'ignore', 'ignore'] });
  try {
    for (let i = 0; i < 500 && !existsSync(`/dev/shm/${name}`); i++) await new Promise((r) => setTimeout(r, 10));
    await new Promise((r) => setTimeout(r, 500)); // warm-up
    return measure(name, candles.database);
  } finally {
    engine.kill('SIGINT');
    await new Promise((resolve) => engine.on('exit', resolve));
    rmSync(dir, { recursive: true, force: true });
  }
}

/** `cwts run` flat out on 100 symbols in one process, a Cython reader of symbol 0 in another. */
function engineToRead() {
  return withEngine(100, 'max', (name) =>
    lastJsonLine(VENV_PYTHON, [join(ROOT, 'benchmarks/python/publish_to_read.py'), '--name', name, '--seconds', String(SECONDS), '--backend', 'cython']),
  );
}

function machine() {
  const python = spawnSync(VENV_PYTHON, ['-c', 'import platform; print(platform.python_version())'], { encoding: 'utf8' }).stdout.trim();
  return {
    cpu: os.cpus()[0]?.model ?? 'unknown',
    cores: os.cpus().length,
    memoryGiB: Math.round(os.totalmem() / 2 ** 30),
    kernel: `${os.type()} ${os.release()}`,
    node: process.version,
    python,
  };
}

async function main() {
  bootstrap();
  const { stress_check: cReader } = buildCPrograms();
  const results = { command: `npm run bench${quick ? ' -- --quick' : ''}`, date: new Date().toISOString(), machine: machine(), benchmarks: {} };

  progress(`publish: seqlock writes of a 50-level book from Node (${SECONDS} s per run)`);
  results.benchmarks.publish = lastJsonLine(process.execPath, [join(ROOT, 'benchmarks/segment-publish.mjs'), '--seconds', String(SECONDS)]);

  progress('read: Cython shim against the pure-Python fallback');
  const readName = `cwts-bench-read-${process.pid}`;
  const filler = await startPublisher(readName, ['--seconds', '0.3', '--symbols', '3', '--keep']);
  await filler.done;
  try {
    results.benchmarks.read = lastJsonLine(VENV_PYTHON, [join(ROOT, 'benchmarks/python/segment_read.py'), '--name', readName, '--seconds', String(SECONDS / 3)]);
  } finally {
    spawnSync(process.execPath, ['-e', `require('node:fs').rmSync('/dev/shm/${readName}', { force: true })`]);
  }

  progress(`publish-to-read: one update every ${PACE_US} us, readers in Cython, pure Python and C`);
  const latencyName = `cwts-bench-latency-${process.pid}`;
  const paced = await startPublisher(latencyName, ['--seconds', String(3 * SECONDS + 2), '--symbols', '1', '--interval-us', String(PACE_US)]);
  const latency = {};
  for (const backend of ['cython', 'python']) {
    latency[backend] = lastJsonLine(VENV_PYTHON, [join(ROOT, 'benchmarks/python/publish_to_read.py'), '--name', latencyName, '--seconds', String(SECONDS), '--backend', backend]);
  }
  latency.c = lastJsonLine(cReader, [latencyName, String(SECONDS), '1']);
  paced.child.kill('SIGINT');
  await paced.done;
  results.benchmarks.publishToRead = { paceUs: PACE_US, readers: latency };

  progress(`engine: the simulated venue flat out through books, validation and candles (${SECONDS} s per run)`);
  results.benchmarks.engine = lastJsonLine(process.execPath, [join(ROOT, 'benchmarks/engine-publish.mjs'), '--seconds', String(SECONDS)]);

  progress('engine under load: publish to a Cython read in another process, 100 symbols flat out');
  results.benchmarks.engineToRead = await engineToRead();

  progress('matcher: one order stream through C++, Node-API per call and batched, and nodejs-order-book');
  results.benchmarks.matcher = lastJsonLine(process.execPath, [join(ROOT, 'benchmarks/matcher.mjs'), '--orders', String(quick ? 50_000 : 200_000)]);

  progress('model: inference in the worker, round trip from the engine thread, run() on the thread, feature building');
  results.benchmarks.model = lastJsonLine(process.execPath, [join(ROOT, 'benchmarks/model-inference.mjs'), '--runs', String(quick ? 1000 : 5000)]);

  progress('execution: Python signal to terminal report through the engine (simulated venue)');
  results.benchmarks.signalRoundTrip = await withEngine(5, 2000, (name) =>
    lastJsonLine(VENV_PYTHON, [join(ROOT, 'benchmarks/python/signal_round_trip.py'), '--name', name, '--seconds', String(SECONDS)]),
  );

  progress('gpio kill: a stand-in line event to KILL_ENGAGED in the segment, and to a JS callback');
  const { gpioKillLatency } = await import('../benchmarks/gpio-kill.mjs');
  results.benchmarks.gpioKill = await gpioKillLatency({ edges: quick ? 1000 : 5000 });
  progress('FreqTrade: its loop with one open trade against the engine, dp.orderbook() through the adapter and the raw bridge');
  results.benchmarks.freqtrade = await withEngine(5, 2000, (name, candles) =>
    lastJsonLine(VENV_PYTHON, [join(ROOT, 'benchmarks/python/freqtrade_loop.py'), '--name', name, '--candles', candles, '--seconds', String(SECONDS)]),
  { keepCandles: true });
  progress('network: ZeroMQ ping and market-order round trips over ipc and tcp (CURVE), beside the segment, one engine');
  results.benchmarks.network = lastJsonLine(process.execPath, [join(ROOT, 'benchmarks/network-round-trip.mjs'), '--seconds', String(SECONDS)]);

  mkdirSync(RESULTS, { recursive: true });
  writeFileSync(join(RESULTS, 'latest.json'), `${JSON.stringify(results, null, 2)}\n`);
  writeFileSync(join(RESULTS, 'latest.md'), markdown(results));
  progress(`wrote benchmarks/results/latest.json and latest.md`);
  process.stdout.write(markdown(results));
}

const ns = (v) => (v >= 10_000 ? `${(v / 1000).toFixed(1)} µs` : `${Math.round(v)} ns`);

function matcherTable(m) {
  const row = (name, x, note = '') => `| ${name} | ${Math.round(x.opsPerSecond).toLocaleString('en-US')} | ${ns(x.perOpNs.p50)} | ${ns(x.perOpNs.p99)} | ${ns(x.perOpNs.p999)} | ${(x.opsPerSecond / m.nodejsOrderBook.opsPerSecond).toFixed(0)}x |${note}`;
  return [
    `## Matcher (${m.orders.toLocaleString('en-US')} orders: 60 % limit, 25 % cancel, 15 % market)`,
    '',
    '| path | operations/s | p50 | p99 | p99.9 | against nodejs-order-book |',
    '| --- | --- | --- | --- | --- | --- |',
    row('C++ alone (each operation timed with steady_clock, whose cost is included)', m.cpp),
    row('Node-API, one call per operation', m.jsPerCall),
    row(`Node-API, batches of ${m.jsBatched.batch} (per-operation share of a batch)`, m.jsBatched),
    row('nodejs-order-book (pure JS peer)', m.nodejsOrderBook),
    '',
  ];
}

function gpioKillLines(g) {
  const row = (name, l) => `| ${name} | ${ns(l.p50)} | ${ns(l.p90)} | ${ns(l.p99)} | ${ns(l.p999)} | ${l.count} |`;
  return [
    '## GPIO kill line (a stand-in line: a FIFO fed with gpio_v2_line_event structs)',
    '',
    '| path | p50 | p90 | p99 | p99.9 | edges |',
    '| --- | --- | --- | --- | --- | --- |',
    row('write to KILL_ENGAGED seen by a spinning reader', g.writeToFlagNs),
    row('event timestamp to flag set, inside the watcher thread', g.watcherEdgeToFlagNs),
    row('write to the JS callback (peer: a watcher that set the flag from JS)', g.writeToCallbackNs),
    '',
    `The JS callback comes ${g.callbackOverFlagP50.toFixed(1)}x later than the flag at p50, with an idle event loop.`,
    '',
  ];
}

function modelTable(m) {
  const row = (name, l) => `| ${name} | ${ns(l.p50)} | ${ns(l.p90)} | ${ns(l.p99)} | ${ns(l.p999)} | ${l.count} |`;
  return [
    `## Model (the shipped ONNX model, one vector of ${m.features} features at a time)`,
    '',
    '| what | p50 | p90 | p99 | p99.9 | samples |',
    '| --- | --- | --- | --- | --- | --- |',
    row('run() inside the inference worker', m.inWorkerNs),
    row(`round trip: engine thread → worker → p_up (${m.roundTripOverOnThreadP50.toFixed(1)}x the on-thread run at p50)`, m.roundTripNs),
    row('peer: run() awaited on the calling thread (blocks its event loop)', m.onThreadNs),
    row('feature vector from a 20-level book update, engine thread', m.featureBuildNs),
    '',
  ];
}

function freqtradeTable(f) {
  const o = f.orderbook;
  return [
    '## FreqTrade against the engine (simulated venue, 5 symbols at 2,000 updates/s)',
    '',
    '| what | p50 | p90 | p99 | samples |',
    '| --- | --- | --- | --- | --- |',
    `| FreqTrade loop (\`bot.process()\`), one open trade | ${(f.loop_ns.p50 / 1e6).toFixed(1)} ms | ${(f.loop_ns.p90 / 1e6).toFixed(1)} ms | ${(f.loop_ns.p99 / 1e6).toFixed(1)} ms | ${f.loop_ns.count} |`,
    `| \`dp.orderbook(pair, 10)\` through the adapter | ${ns(o.adapter_ns.p50)} | ${ns(o.adapter_ns.p90)} | ${ns(o.adapter_ns.p99)} | ${o.adapter_ns.count} |`,
    `| \`bridge.book(pair, 10)\`, the raw bridge | ${ns(o.raw_bridge_ns.p50)} | ${ns(o.raw_bridge_ns.p90)} | ${ns(o.raw_bridge_ns.p99)} | ${o.raw_bridge_ns.count} |`,
    '',
    `The adapter costs ${o.adapter_over_raw_p50.toFixed(1)}x the raw bridge at p50, ${o.adapter_over_raw_p99.toFixed(1)}x at p99.`,
    '',
  ];
}

function networkTable(n) {
  const row = (what, x, peer) => `| ${what} | ${ns(x.latency_ns.p50)} | ${ns(x.latency_ns.p90)} | ${ns(x.latency_ns.p99)} | ${ns(x.latency_ns.p999)} | ${x.latency_ns.count} | ${peer ? `${(x.latency_ns.p50 / peer.latency_ns.p50).toFixed(1)}x` : '-'} |`;
  return [
    `## ZeroMQ beside the segment (one engine, Python client in another process, closed loop, ${n.secondsEach} s each)`,
    '',
    '| round trip | p50 | p90 | p99 | p99.9 | samples | against the segment at p50 |',
    '| --- | --- | --- | --- | --- | --- | --- |',
    row('market order to FILLED, shared memory (signal ring, report ring)', n.order.shm, n.order.shm),
    row('market order to FILLED, control socket over ipc://', n.order.ipc, n.order.shm),
    row('market order to FILLED, control socket over tcp:// with CURVE', n.order.tcp, n.order.shm),
    row('ping to reply, control socket over ipc:// (transport alone)', n.ping.ipc),
    row('ping to reply, control socket over tcp:// with CURVE', n.ping.tcp),
    '',
  ];
}

function markdown(r) {
  const m = r.machine;
  const lines = [
    `# Benchmark results`,
    '',
    `\`${r.command}\` on ${r.date.slice(0, 10)}: ${m.cpu}, ${m.cores} cores, ${m.memoryGiB} GiB, ${m.kernel}, Node ${m.node}, Python ${m.python}.`,
    '',
    '## Publish (Node, seqlock write of slot + 50 bid + 50 ask levels)',
    '',
    '| symbols | updates/s | p50 | p99 | p99.9 | samples |',
    '| --- | --- | --- | --- | --- | --- |',
    ...r.benchmarks.publish.runs.map((run) => `| ${run.symbols} | ${Math.round(run.updatesPerSecond).toLocaleString('en-US')} | ${ns(run.perPublishNs.p50)} | ${ns(run.perPublishNs.p99)} | ${ns(run.perPublishNs.p999)} | ${run.perPublishNs.count} batches of ${r.benchmarks.publish.batch} |`),
    '',
    '## Read from Python (one consistent snapshot per call)',
    '',
    '| operation | backend | p50 | p99 | p99.9 | fallback / Cython at p50 |',
    '| --- | --- | --- | --- | --- | --- |',
    ...r.benchmarks.read.results.map((x) => `| ${x.operation} | ${x.backend} | ${ns(x.per_call_ns.p50)} | ${ns(x.per_call_ns.p99)} | ${ns(x.per_call_ns.p999)} | ${x.backend === 'python' ? `${r.benchmarks.read.fallback_over_cython_p50[x.operation].toFixed(1)}x` : '1x'} |`),
    '',
    `## One-way publish to read, across processes (one update every ${r.benchmarks.publishToRead.paceUs} µs)`,
    '',
    '| reader | p50 | p90 | p99 | p99.9 | max | samples | ratio to C at p50 |',
    '| --- | --- | --- | --- | --- | --- | --- | --- |',
    ...Object.entries(r.benchmarks.publishToRead.readers).map(([reader, x]) => {
      const l = x.latency_ns;
      const ratio = l.p50 / r.benchmarks.publishToRead.readers.c.latency_ns.p50;
      return `| ${reader} | ${ns(l.p50)} | ${ns(l.p90)} | ${ns(l.p99)} | ${ns(l.p999)} | ${ns(l.max)} | ${l.count} | ${ratio.toFixed(1)}x |`;
    }),
    '',
    '## The engine flat out (simulated venue through books, validation and candles into the segment)',
    '',
    '| symbols | book updates/s | share of the bare writer\'s rate | receive to publish p50 | p90 | p99 | RSS | heap used |',
    '| --- | --- | --- | --- | --- | --- | --- | --- |',
    ...r.benchmarks.engine.runs.map((x) => {
      const bare = r.benchmarks.publish.runs.at(-1).updatesPerSecond;
      const l = x.receiveToPublishNs;
      return `| ${x.symbols} | ${Math.round(x.updatesPerSecond).toLocaleString('en-US')} | ${((x.updatesPerSecond / bare) * 100).toFixed(0)}% | ${ns(l.p50)} | ${ns(l.p90)} | ${ns(l.p99)} | ${x.rssMiB.toFixed(0)} MiB | ${x.heapUsedMiB.toFixed(0)} MiB |`;
    }),
    '',
    ...matcherTable(r.benchmarks.matcher),
    ...modelTable(r.benchmarks.model),
    ...networkTable(r.benchmarks.network),
    `Python signal to terminal report (a market order on the simulated venue, closed loop, engine on 5 symbols at 2,000 updates/s): p50 ${ns(r.benchmarks.signalRoundTrip.latency_ns.p50)}, p90 ${ns(r.benchmarks.signalRoundTrip.latency_ns.p90)}, p99 ${ns(r.benchmarks.signalRoundTrip.latency_ns.p99)}, p99.9 ${ns(r.benchmarks.signalRoundTrip.latency_ns.p999)}, ${r.benchmarks.signalRoundTrip.latency_ns.count} orders.`,
    '',
    ...freqtradeTable(r.benchmarks.freqtrade),
    `Publish to a Cython read in another process while the engine runs 100 symbols flat out: p50 ${ns(r.benchmarks.engineToRead.latency_ns.p50)}, p99 ${ns(r.benchmarks.engineToRead.latency_ns.p99)}, p99.9 ${ns(r.benchmarks.engineToRead.latency_ns.p999)}, ${r.benchmarks.engineToRead.latency_ns.count} updates of symbol 0 seen.`,
    '',
    ...gpioKillLines(r.benchmarks.gpioKill),
  ];
  return `${lines.join('\n')}\n`;
}

main().catch((error) => {
  console.error(`npm run bench: ${error.message}`);
  process.exitCode = 1;
});
