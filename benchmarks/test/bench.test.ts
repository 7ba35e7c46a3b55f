/**
 * The benchmark suite's report: `npm run bench -- --quick` into a temporary directory must
 * produce every section, every metric well formed, tables and plots that parse. Its numbers
 * are not checked: they belong to the machine.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROOT, VENV_PYTHON } from '../../scripts/bootstrap.mjs';
import { SECTIONS } from '../sections.mjs';
import { metricProblems, latencyMetric, rateMetric } from '../harness/metrics.mjs';
import { gcWindow, parseTraceGc } from '../harness/trace-gc.mjs';
import { percentileCurves, throughputBars } from '../harness/svg.mjs';

const BENCH = join(ROOT, 'scripts/bench.mjs');

/** Parses SVG text with Python's XML parser; returns [root tag, count of each of `tags`]. */
function parseSvg(text: string, tags: string[]): [string, number[]] {
  const script = 'import sys, json, xml.etree.ElementTree as ET\n' +
    'root = ET.fromstring(sys.stdin.read())\n' +
    'ns = "{http://www.w3.org/2000/svg}"\n' +
    'print(json.dumps([root.tag.replace(ns, ""), [len(root.findall(ns + t)) for t in sys.argv[1:]]]))';
  const result = spawnSync(VENV_PYTHON, ['-c', script, ...tags], { input: text, encoding: 'utf8' });
  if (result.status !== 0) throw new Error(`not well-formed SVG: ${result.stderr}`);
  return JSON.parse(result.stdout);
}

/** Every markdown table in `text`: its rows split into cells. */
function tables(text: string): string[][][] {
  const found: string[][][] = [];
  let current: string[][] | undefined;
  for (const line of text.split('\n')) {
    if (line.startsWith('|')) {
      current ??= [];
      current.push(line.slice(1, -1).split('|').map((c) => c.trim()));
    } else if (current) {
      found.push(current);
      current = undefined;
    }
  }
  return found;
}

describe('npm run bench -- --quick', () => {
  let out: string;
  let run: ReturnType<typeof spawnSync>;
  let report: any;

  beforeAll(() => {
    out = mkdtempSync(join(tmpdir(), 'cwts-bench-test-'));
    run = spawnSync(process.execPath, [BENCH, '--quick', '--out', out], { cwd: ROOT, encoding: 'utf8', timeout: 300_000 });
    report = JSON.parse(readFileSync(join(out, 'latest.json'), 'utf8'));
  }, 320_000);
  afterAll(() => rmSync(out, { recursive: true, force: true }));

  it('exits 0 and shows one progress line per section, with its elapsed time', () => {
    expect(run.status, String(run.stderr)).toBe(0);
    for (const [i, name] of SECTIONS.entries()) {
      expect(String(run.stderr)).toMatch(new RegExp(`\\[bench\\] ${i + 1}/${SECTIONS.length} ${name}: \\d+ metrics in [\\d.]+ s`));
    }
  });

  it('describes the machine and the command', () => {
    expect(report.command).toBe('npm run bench -- --quick');
    expect(Number.isNaN(Date.parse(report.date))).toBe(false);
    const m = report.machine;
    for (const key of ['cpu', 'kernel', 'node', 'python']) expect(typeof m[key] === 'string' && m[key].length > 0, key).toBe(true);
    expect(m.cores).toBeGreaterThan(0);
    expect(m.loadAverage).toHaveLength(3);
  });

  it('has every section, in order, none failed, every metric well formed with its reproduce command', () => {
    expect(report.sections.map((s: any) => s.name)).toEqual(SECTIONS);
    for (const section of report.sections) {
      expect(section.error, section.name).toBeUndefined();
      expect(section.metrics.length, section.name).toBeGreaterThan(0);
      for (const metric of section.metrics) {
        expect(metricProblems(metric), `${section.name}: ${metric.name}`).toEqual([]);
        expect(metric.command).toBe(`npm run bench -- --only ${section.name} --quick`);
      }
    }
  });

  it('measures every transport closed and open loop, with ratios to spinning shared memory', () => {
    const transport = report.sections.find((s: any) => s.name === 'transport');
    const transports = new Set(transport.metrics.map((m: any) => m.transport));
    expect([...transports].sort()).toEqual(['shm-futex', 'shm-spin', 'tcp', 'unix', 'zeromq-ipc', 'zeromq-tcp']);
    for (const m of transport.metrics) {
      expect(m.count, m.name).toBeGreaterThan(0);
      expect(m.ratio.to).toMatch(/^shared memory, spinning/);
      expect(m.curve.at(-1)).toEqual([100, m.max]);
    }
  });

  it('writes latest.md with every section and metric, in tables whose rows match their header', () => {
    const md = readFileSync(join(out, 'latest.md'), 'utf8');
    for (const section of report.sections) {
      expect(md).toContain(`## ${section.title}`);
      for (const metric of section.metrics) expect(md).toContain(`| ${metric.name} |`);
    }
    const found = tables(md);
    expect(found.length).toBeGreaterThanOrEqual(SECTIONS.length);
    for (const table of found) {
      expect(table[1]!.every((c) => c === '---')).toBe(true);
      for (const row of table) expect(row).toHaveLength(table[0]!.length);
    }
  });

  it('writes every plot the report links, as SVG that parses, one line or bar per metric', () => {
    const md = readFileSync(join(out, 'latest.md'), 'utf8');
    const plots = report.sections.flatMap((s: any) => s.plots);
    expect(plots.map((p: any) => p.kind).sort()).toContain('percentiles');
    expect(plots.map((p: any) => p.kind)).toContain('bars');
    for (const plot of plots) {
      expect(md).toContain(`](${plot.file})`);
      const [root, [paths, rects]] = parseSvg(readFileSync(join(out, plot.file), 'utf8'), ['path', 'rect']);
      expect(root).toBe('svg');
      if (plot.kind === 'percentiles') expect(paths).toBe(plot.metrics.length);
      else expect(rects).toBe(plot.metrics.length + 1); // the bars and the background
    }
  });
});

describe('the harness refuses what is wrong, and says what', () => {
  it('rejects a bad option or an unknown section with exit 2 and the reason', () => {
    const unknown = spawnSync(process.execPath, [BENCH, '--only', 'transport,nosuch'], { cwd: ROOT, encoding: 'utf8' });
    expect(unknown.status).toBe(2);
    expect(unknown.stderr).toContain('no section nosuch; the sections are transport');
    const bad = spawnSync(process.execPath, [BENCH, '--fast'], { cwd: ROOT, encoding: 'utf8' });
    expect(bad.status).toBe(2);
    expect(bad.stderr).toMatch(/--fast/);
  });

  it('finds what is wrong with a metric', () => {
    const good = { p50: 1, p90: 2, p99: 3, p999: 4, max: 5, count: 10 };
    expect(metricProblems(latencyMetric('a', 'ns', good))).toEqual([]);
    expect(metricProblems(rateMetric('r', 'ops/s', 10, 3))).toEqual([]);
    expect(metricProblems(latencyMetric('a', '', good))).toEqual(['a: no unit']);
    expect(metricProblems(latencyMetric('a', 'ns', { ...good, p90: Number.NaN }))[0]).toMatch(/finite numbers/);
    expect(metricProblems(latencyMetric('a', 'ns', { ...good, p99: 0.5 }))[0]).toMatch(/must not decrease/);
    expect(metricProblems(latencyMetric('a', 'ns', { ...good, count: 0 }))[0]).toMatch(/no samples must be 0/);
    expect(metricProblems(rateMetric('r', 'ops/s', Number.POSITIVE_INFINITY, 3))[0]).toMatch(/finite rate/);
    expect(metricProblems(rateMetric('r', 'ops/s', 1, 2.5))[0]).toMatch(/count must be an integer/);
    expect(metricProblems({ unit: 'ns', rate: 1, count: 1 })[0]).toMatch(/no name/);
  });

  it('reads --trace-gc lines per isolate and skips anything else', () => {
    const trace = [
      '[7:0xaa]       50 ms: Mark-Compact 4.0 (4.5) -> 3.0 (5.5) MB, 4.91 / 0.00 ms  (average mu = 1.000, current mu = 1.000) testing; GC in old space requested',
      '[7:0xaa]      120 ms: Scavenge 5.0 (5.5) -> 3.5 (5.5) MB, 0.80 / 0.00 ms  (average mu = 1.000, current mu = 1.000) allocation failure; ',
      'not a trace line',
      '{"benchmark":"engine-gc"}',
      '[7:0xbb]       30 ms: Scavenge 3.2 (3.2) -> 2.8 (4.2) MB, 1.25 / 0.00 ms  (average mu = 1.000, current mu = 1.000) task; ',
      '[7:0xaa]      200 ms: Mark-Compact (reduce) 6.0 (9.0) -> 2.0 (8.0) MB, 7.00 / 0.00 ms  (+ 1.5 ms in 12 steps since start of marking, biggest step 0.2 ms, walltime since start of marking 61 ms) (average mu = 0.9, current mu = 0.9) finalize incremental marking via stack guard; GC in old space requested',
      '[7:0xaa]      300 ms: Scavenge 5.0 (9.0) -> 4.0 (9.0) MB, 0.50 / 0.00 ms  (average mu = 0.9, current mu = 0.9) allocation failure; ',
    ].join('\n');
    const isolates = parseTraceGc(trace);
    expect([...isolates.keys()]).toEqual(['0xaa', '0xbb']);
    // The forced collection at 50 ms opens the window and is not counted; 300 ms is after it.
    const w = gcWindow(isolates.get('0xaa'), 50, 250);
    expect(w.pausesNs).toEqual([800_000, 7_000_000]);
    expect(w.byKind).toEqual({ Scavenge: 1, 'Mark-Compact (reduce)': 1 });
    expect(w.allocatedMB).toBeCloseTo((5 - 3) + (6 - 3.5));
    expect(gcWindow([], 0, 100)).toEqual({ pausesNs: [], byKind: {}, allocatedMB: 0, pauseTotalMs: 0 });
  });

  it('draws plots whose labels cannot break the XML', () => {
    const metric = latencyMetric('a <b> & "c"', 'ns', { p50: 1, p90: 2, p99: 3, p999: 4, max: 5, count: 10 }, { curve: [[0, 1], [50, 1], [90, 2], [100, 5]] });
    expect(parseSvg(percentileCurves('t & <u>', [metric]), ['path'])).toEqual(['svg', [1]]);
    expect(parseSvg(throughputBars('t', [rateMetric('x & y', 'ops/s', 0, 0), rateMetric('z', 'ops/s', 5, 5)]), ['rect'])).toEqual(['svg', [3]]);
  });
});
