import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';

const CLI = fileURLToPath(new URL('../dist/cli/main.js', import.meta.url));
const NAME = `cwts-cli-test-${process.pid}`;

/** Runs the CLI in `cwd` (where a config-less run writes its default databases). */
function cwts(args: string[], cwd = tmpdir()): { status: number | null; stdout: string; stderr: string } {
  const result = spawnSync(process.execPath, [CLI, ...args], { encoding: 'utf8', timeout: 60_000, cwd });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

describe('the cwts command line (built dist, a real second process)', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'cwts-cli-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('lists its commands, answers --help for each, and rejects unknown commands and flags', () => {
    const help = cwts(['--help']);
    expect(help.status).toBe(0);
    for (const name of ['run', 'status', 'record', 'replay', 'doctor', 'stress-publish']) {
      expect(help.stdout).toContain(name);
      const own = cwts([name, '--help']);
      expect(own.status).toBe(0);
      expect(own.stdout).toMatch(new RegExp(`^usage: cwts ${name} \\[options\\]`));
    }
    expect(cwts(['frobnicate']).stderr).toMatch(/unknown command 'frobnicate'/);
    const bad = cwts(['run', '--speed', '3']);
    expect(bad.status).toBe(2);
    expect(bad.stderr).toMatch(/cwts run: .*speed/);
    expect(cwts(['run', '--seconds', 'soon']).stderr).toMatch(/--seconds must be a positive number, got "soon"/);
  });

  it('fails `run` on a bad config with the field path, exit 1, and no segment left', () => {
    const config = join(dir, 'bad.yaml');
    writeFileSync(config, `segment: { name: ${NAME} }\nfeeds: [{ type: simulated, depth: 80 }]\n`);
    const result = cwts(['run', '--config', config, '--seconds', '1']);
    expect(result.status).toBe(1);
    expect(result.stderr).toMatch(/bad\.yaml is invalid:\n {2}- feeds\[0\]\.depth: /);
    expect(existsSync(`/dev/shm/${NAME}`)).toBe(false);
  });

  it('records a run, shows it in `status` while running, and replays the recording to its end', async () => {
    const recording = join(dir, 'session.cwtsrec');
    const config = join(dir, 'engine.yaml');
    writeFileSync(config, `segment: { name: ${NAME} }\nfeeds: [{ type: simulated, eventsPerSecond: 5000 }]\ncandles: { database: candles.sqlite }\n`);
    const recorder = spawn(process.execPath, [CLI, 'record', '--config', config, '--out', recording, '--seconds', '5'], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    recorder.stdout.on('data', (d) => (out += d));
    await sleep(1800);
    const status = cwts(['status', '--name', NAME, '--interval', '0.5', '--json']);
    expect(status.stderr).toBe('');
    expect(status.status).toBe(0);
    const report = JSON.parse(status.stdout);
    expect(report.alive).toBe(true);
    expect(report.symbols).toHaveLength(5);
    expect(report.symbols[0]).toMatchObject({ symbol: 'BTC/USDT', venue: 'sim', flags: [] });
    expect(report.symbols.reduce((sum: number, s: { updatesPerSecond: number }) => sum + s.updatesPerSecond, 0)).toBeGreaterThan(1000);
    expect(report.publishLatencyNs.count).toBeGreaterThan(0);
    const table = cwts(['status', '--name', NAME, '--interval', '0.2']);
    expect(table.stdout).toMatch(/engine pid \d+ .*mode MANUAL +kill released/);
    expect(table.stdout).toMatch(/BTC\/USDT +sim /);
    await new Promise((resolve) => recorder.on('exit', resolve));
    expect(out).toMatch(/recorded [\d,]+ events/);
    // The candle database sits beside the config, where the config said.
    expect(existsSync(join(dir, 'candles.sqlite'))).toBe(true);

    const replay = cwts(['replay', '--recording', recording, '--speed', 'max', '--name', NAME], dir);
    expect(existsSync(join(dir, 'cwts-trades.sqlite'))).toBe(true); // the defaults land where it ran
    expect(replay.status).toBe(0);
    expect(replay.stdout).toMatch(/stopped after .*: [\d,]+ book updates over 5 symbols/);
    expect(existsSync(`/dev/shm/${NAME}`)).toBe(false);
    expect(cwts(['status', '--name', NAME]).stderr).toMatch(/no segment/);
  });

  it('`doctor` reports each check with a level and advice', () => {
    const result = cwts(['doctor', '--json']);
    const checks = JSON.parse(result.stdout) as { name: string; level: string; advice?: string }[];
    expect(checks.map((c) => c.name)).toEqual(['/dev/shm', 'cores', 'huge pages', 'memlock limit', 'python bridge', 'gpio']);
    for (const c of checks) expect(['ok', 'warn', 'fail']).toContain(c.level);
    for (const c of checks.filter((c) => c.level !== 'ok')) expect(c.advice).toBeTruthy();
    expect(result.status).toBe(checks.some((c) => c.level === 'fail') ? 1 : 0);
  });
});
