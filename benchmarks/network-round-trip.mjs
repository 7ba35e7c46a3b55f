#!/usr/bin/env node
/**
 * The engine's ZeroMQ control path beside the shared-memory segment, in one run: an engine in
 * this process (simulated venue, 5 symbols at 2,000 updates/s, FULL_AUTO, every risk control
 * on) with ipc:// and tcp:// (CURVE, keys made in a temp dir) control sockets, and a Python
 * client in another process that measures ping and market-order round trips over each
 * (benchmarks/python/network_round_trip.py). Prints one JSON line.
 *   node benchmarks/network-round-trip.mjs [--seconds S]
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Engine } from '@cwts/engine';
import { engineConfig } from './harness/processes.mjs';

const HERE = dirname(fileURLToPath(import.meta.url));
const PYTHON = join(HERE, '..', '.venv', 'bin', 'python');
const secondsArg = process.argv.indexOf('--seconds');
const seconds = secondsArg > 0 ? Number(process.argv[secondsArg + 1]) : 2;

async function freePort() {
  const server = createServer();
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address();
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/** Runs the Python client to its end without blocking this process's event loop (the engine lives here). */
function runClient(args) {
  return new Promise((resolve, reject) => {
    const child = spawn(PYTHON, [join(HERE, 'python', 'network_round_trip.py'), ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk) => (stdout += chunk));
    child.stderr.on('data', (chunk) => (stderr += chunk));
    child.on('exit', (code) => (code === 0 ? resolve(JSON.parse(stdout.trim().split('\n').at(-1))) : reject(new Error(`network_round_trip.py exited ${code}: ${stderr}`))));
  });
}

const dir = mkdtempSync(join(tmpdir(), 'cwts-bench-network-'));
const name = `cwts-bench-network-${process.pid}`;
// zeromq loads with the engine's network; the key generator comes from the same module.
const { generateKeyPair } = await import('../packages/engine/dist/network/curve-keys.js');
generateKeyPair(dir, 'engine');
generateKeyPair(join(dir, 'authorized'), 'bench');
const ipc = `ipc://${dir}/control.ipc`;
const tcp = `tcp://127.0.0.1:${await freePort()}`;
const engine = await Engine.start({
  ...engineConfig(name, 5, 2000, dir),
  network: { publish: [`ipc://${dir}/events.ipc`], control: [ipc, tcp], curve: { secretKeyFile: join(dir, 'engine.key_secret'), authorizedKeysDir: join(dir, 'authorized') } },
});
try {
  await new Promise((r) => setTimeout(r, 500)); // warm-up: books in every symbol
  const result = await runClient(['--name', name, '--ipc', ipc, '--tcp', tcp, '--server-key', join(dir, 'engine.key'), '--key', join(dir, 'authorized', 'bench.key_secret'), '--seconds', String(seconds)]);
  console.log(JSON.stringify({ ...result, secondsEach: seconds }));
} finally {
  await engine.stop();
  rmSync(dir, { recursive: true, force: true });
}
