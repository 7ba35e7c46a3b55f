#!/usr/bin/env node
/**
 * `npm run bench [-- --quick] [-- --only a,b] [-- --out DIR]`: the benchmark suite. Bootstraps,
 * then runs each section of benchmarks/sections.mjs in turn (each runs its measurements in
 * their own processes), and writes DIR/latest.json (machine, every metric with its unit,
 * percentiles, sample count and the command that reproduces it), DIR/latest.md (the tables)
 * and the SVG plots. DIR defaults to benchmarks/results. Progress goes to stderr.
 */
import { mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import os from 'node:os';
import { join, resolve } from 'node:path';
import { ROOT, VENV_PYTHON, bootstrap } from './bootstrap.mjs';

const OPTIONS = {
  quick: { type: 'boolean', help: 'the short parameter set of every section: a smoke check in under two minutes' },
  only: { type: 'string', placeholder: 'A,B', help: 'run only these sections (names as in benchmarks/sections.mjs)' },
  out: { type: 'string', placeholder: 'DIR', help: 'where latest.json, latest.md and the plots go', default: 'benchmarks/results' },
};

function machine(pinning) {
  const python = spawnSync(VENV_PYTHON, ['-c', 'import platform; print(platform.python_version())'], { encoding: 'utf8' }).stdout.trim();
  return {
    cpu: os.cpus()[0]?.model ?? 'unknown',
    cores: os.availableParallelism(),
    memoryGiB: Math.round(os.totalmem() / 2 ** 30),
    kernel: `${os.type()} ${os.release()}`,
    node: process.version,
    python,
    loadAverage: os.loadavg(),
    pinning,
  };
}

/** One stderr line per section when it ends; on a terminal, the running one's elapsed time ticks in place. */
function progress(label) {
  const started = performance.now();
  const elapsed = () => ((performance.now() - started) / 1000).toFixed(1);
  const tty = process.stderr.isTTY;
  const clear = tty ? '\r\x1b[2K' : ''; // back to the start of the ticking line, erased
  const timer = tty ? setInterval(() => process.stderr.write(`${clear}[bench] ${label} ${elapsed()} s`), 1000) : undefined;
  return (outcome) => {
    clearInterval(timer);
    process.stderr.write(`${clear}[bench] ${label} ${outcome} in ${elapsed()} s\n`);
    return Number(elapsed());
  };
}

/** Runs one section and checks what it returned; a failure is kept in the report, not thrown. */
async function runSection(section, quick, index, total, metricProblems) {
  const params = quick ? section.params.quick : section.params.full;
  const command = `npm run bench -- --only ${section.name}${quick ? ' --quick' : ''}`;
  const done = progress(`${index}/${total} ${section.name}:`);
  const entry = { name: section.name, title: section.title, measures: section.measures, params, command };
  try {
    const { metrics, plots = [], notes = [] } = await section.run(params);
    const names = new Set(metrics.map((m) => m.name));
    const problems = [
      ...(metrics.length ? [] : ['it returned no metrics']),
      ...metrics.flatMap(metricProblems),
      ...plots.flatMap((p) => p.metrics.filter((n) => !names.has(n)).map((n) => `plot ${p.file} names no metric ${JSON.stringify(n)}`)),
    ];
    if (problems.length) throw new Error(problems.join('; '));
    Object.assign(entry, { metrics: metrics.map((m) => ({ ...m, command })), plots, notes });
    entry.elapsedSeconds = done(`${metrics.length} metrics`);
  } catch (error) {
    entry.error = error.message;
    entry.elapsedSeconds = done(`FAILED (${error.message.split('\n')[0].slice(0, 300)})`);
  }
  return entry;
}

async function main() {
  // After the bootstrap: the option parser is the CLI's, from the engine's build.
  bootstrap();
  const { parseOptions, helpText, CliError } = await import('../packages/engine/dist/cli/command.js');
  let values;
  try {
    values = parseOptions(process.argv.slice(2), OPTIONS);
  } catch (error) {
    if (!(error instanceof CliError)) throw error;
    console.error(`npm run bench: ${error.message}`);
    return 2;
  }
  if (values.help) {
    console.log(helpText('bench', 'Runs the benchmark suite (npm run bench -- [options]).', OPTIONS).replace('cwts bench', 'npm run bench --'));
    return 0;
  }
  const { SECTIONS } = await import('../benchmarks/sections.mjs');
  const wanted = values.only ? values.only.split(',').map((s) => s.trim()) : SECTIONS;
  const unknown = wanted.filter((name) => !SECTIONS.includes(name));
  if (unknown.length) {
    console.error(`npm run bench: no section ${unknown.join(', ')}; the sections are ${SECTIONS.join(', ')}`);
    return 2;
  }
  const { metricProblems } = await import('../benchmarks/harness/metrics.mjs');
  const { PINNING } = await import('../benchmarks/harness/processes.mjs');
  const { markdown } = await import('../benchmarks/harness/markdown.mjs');
  const { percentileCurves, throughputBars } = await import('../benchmarks/harness/svg.mjs');

  const quick = values.quick === true;
  const args = [quick ? '--quick' : '', values.only ? `--only ${values.only}` : ''].filter(Boolean).join(' ');
  const report = { command: `npm run bench${args ? ` -- ${args}` : ''}`, date: new Date().toISOString(), machine: machine(PINNING), sections: [] };
  for (const [i, name] of wanted.entries()) {
    const { default: section } = await import(`../benchmarks/sections/${name}.mjs`);
    report.sections.push(await runSection(section, quick, i + 1, wanted.length, metricProblems));
  }

  const out = resolve(ROOT, values.out);
  mkdirSync(out, { recursive: true });
  for (const file of readdirSync(out)) if (file.endsWith('.svg')) rmSync(join(out, file)); // no plot of an older run stays beside this one
  for (const section of report.sections) {
    for (const plot of section.plots ?? []) {
      const metrics = plot.metrics.map((name) => section.metrics.find((m) => m.name === name));
      writeFileSync(join(out, plot.file), plot.kind === 'bars' ? throughputBars(plot.title, metrics) : percentileCurves(plot.title, metrics));
    }
  }
  writeFileSync(join(out, 'latest.json'), `${JSON.stringify(report, null, 2)}\n`);
  writeFileSync(join(out, 'latest.md'), markdown(report));
  const failed = report.sections.filter((s) => s.error).map((s) => s.name);
  process.stderr.write(`[bench] wrote ${join(out, 'latest.json')}, latest.md and the plots${failed.length ? `; FAILED: ${failed.join(', ')}` : ''}\n`);
  return failed.length ? 1 : 0;
}

main().then(
  (code) => (process.exitCode = code),
  (error) => {
    console.error(`npm run bench: ${error.stack ?? error.message}`);
    process.exitCode = 1;
  },
);
