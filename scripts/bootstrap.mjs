#!/usr/bin/env node
/**
 * Brings a fresh clone to a runnable state, doing only what is missing or out of date:
 *   1. npm ci                    node packages (when package-lock.json changed)
 *   2. tsc -b                    TypeScript of every package (incremental)
 *   3. node-gyp rebuild          the native addons: shm bridge, matcher (when sources changed)
 *   4. .venv + pip install       the cwts Python package with its Cython extension,
 *                                pytest and FreqTrade (when python/ or the layout changed)
 * `npm run demo` and `npm test` call it first; `--only build` stops after step 3.
 */
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
export const VENV = join(ROOT, '.venv');
export const VENV_PYTHON = join(VENV, 'bin', 'python');
const NODE_HEADERS = '/usr/include/node/node_api.h';
const PYTHON_STAMP = join(VENV, '.cwts-stamp');

function log(message) {
  process.stderr.write(`[bootstrap] ${message}\n`);
}

/** Runs a command with inherited output; a failure ends the bootstrap with its command named. */
export function run(command, args, options = {}) {
  const result = spawnSync(command, args, { cwd: ROOT, stdio: 'inherit', ...options });
  if (result.status !== 0) {
    const how = result.error ? result.error.message : `exit ${result.status ?? result.signal}`;
    throw new Error(`'${command} ${args.join(' ')}' failed (${how})`);
  }
}

function timed(what, fn) {
  const started = Date.now();
  log(`${what}...`);
  fn();
  log(`${what}: done in ${((Date.now() - started) / 1000).toFixed(1)} s`);
}

/** Without this node-gyp downloads Node's headers, which this machine cannot reach. */
function nativeEnv() {
  return existsSync(NODE_HEADERS) ? { ...process.env, npm_config_nodedir: '/usr' } : process.env;
}

/** onnxruntime-node ships its CPU binaries; its install script would fetch CUDA parts from a feed this machine cannot reach. */
function npmEnv() {
  return { ...nativeEnv(), ONNXRUNTIME_NODE_INSTALL: 'skip' };
}

function newestMtime(paths) {
  let newest = 0;
  for (const path of paths) {
    if (!existsSync(path)) continue;
    const stat = statSync(path);
    newest = Math.max(newest, stat.isDirectory() ? newestMtime(readdirSync(path).map((p) => join(path, p))) : stat.mtimeMs);
  }
  return newest;
}

function hashFiles(paths) {
  const hash = createHash('sha256');
  const walk = (path) => {
    if (!existsSync(path)) return;
    if (statSync(path).isDirectory()) {
      for (const entry of readdirSync(path).sort()) {
        if (['__pycache__', 'build', '.pytest_cache'].includes(entry) || entry.endsWith('.egg-info') || entry.endsWith('.so') || entry.endsWith('.c')) continue;
        walk(join(path, entry));
      }
      return;
    }
    hash.update(relative(ROOT, path)).update(readFileSync(path));
  };
  paths.forEach(walk);
  return hash.digest('hex');
}

function nodePackages() {
  const marker = join(ROOT, 'node_modules/.package-lock.json');
  if (existsSync(marker) && statSync(marker).mtimeMs >= statSync(join(ROOT, 'package-lock.json')).mtimeMs) return;
  timed('npm ci (node packages; better-sqlite3 compiles, about 2.5 min the first time)', () => run('npm', ['ci', '--no-audit', '--no-fund'], { env: npmEnv() }));
}

function typescript() {
  timed('tsc -b (TypeScript build, incremental)', () => run(join(ROOT, 'node_modules/.bin/tsc'), ['-b', 'packages/engine', 'packages/matcher']));
}

/** The native addons: each rebuilt when its sources are newer than its build. */
const ADDONS = [
  { dir: 'packages/py-bridge', output: 'build/Release/cwts_native.node', sources: ['native', 'binding.gyp'] },
  { dir: 'packages/matcher', output: 'build/Release/cwts_matcher.node', sources: ['native', 'binding.gyp'] },
];

function nativeAddons() {
  for (const addon of ADDONS) {
    const dir = join(ROOT, addon.dir);
    const output = join(dir, addon.output);
    if (existsSync(output) && statSync(output).mtimeMs >= newestMtime(addon.sources.map((p) => join(dir, p)))) continue;
    timed(`node-gyp rebuild ${addon.dir} (native addon, about 15 s)`, () =>
      run(join(ROOT, 'node_modules/.bin/node-gyp'), ['rebuild', ...(existsSync(NODE_HEADERS) ? ['--nodedir=/usr'] : [])], { cwd: dir, env: nativeEnv() }),
    );
  }
}

function findPython() {
  for (const candidate of ['python3.13', 'python3.12', 'python3.11', 'python3']) {
    const probe = spawnSync(candidate, ['-c', 'import sys; print(sys.version_info >= (3, 11))'], { encoding: 'utf8' });
    if (probe.status === 0 && probe.stdout.trim() === 'True') return candidate;
  }
  throw new Error('Python 3.11 or newer is needed (FreqTrade 2026.x requires it); install python3.11 and run again');
}

function pythonPackage() {
  const stamp = hashFiles([join(ROOT, 'python'), join(ROOT, 'packages/shm-layout/generated')]);
  if (existsSync(VENV_PYTHON) && existsSync(PYTHON_STAMP) && readFileSync(PYTHON_STAMP, 'utf8') === stamp) return;
  if (!existsSync(VENV_PYTHON)) {
    timed('python -m venv .venv', () => run(findPython(), ['-m', 'venv', VENV]));
  }
  timed('pip install ./python[test,freqtrade,network,model] (Cython build; FreqTrade from PyPI, about 2 min the first time)', () =>
    run(VENV_PYTHON, ['-m', 'pip', 'install', '--quiet', '--disable-pip-version-check', './python[test,freqtrade,network,model]']),
  );
  writeFileSync(PYTHON_STAMP, stamp);
}

export function bootstrap({ only } = {}) {
  nodePackages();
  typescript();
  nativeAddons();
  if (only === 'build') return;
  pythonPackage();
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const onlyIndex = process.argv.indexOf('--only');
  try {
    bootstrap({ only: onlyIndex > 0 ? process.argv[onlyIndex + 1] : undefined });
  } catch (error) {
    log(`failed: ${error.message}`);
    process.exitCode = 1;
  }
}
