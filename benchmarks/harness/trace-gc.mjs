/**
 * Reads V8's `--trace-gc` lines, one per collection of any isolate in the process:
 *   [pid:0xISOLATE]   1234 ms: Scavenge 4.1 (5.5) -> 3.2 (6.0) MB, 0.52 / 0.00 ms  (...) allocation failure;
 * The time is milliseconds since that isolate started; the pause is the first figure after "MB,".
 */
const LINE = /^\[\d+:(0x[0-9a-f]+)\]\s+([\d.]+) ms: ([A-Za-z-]+(?: [A-Za-z-]+)*?(?: \([a-z]+\))?) ([\d.]+) \(([\d.]+)\) -> ([\d.]+) \(([\d.]+)\) MB, ([\d.]+) \/ ([\d.]+) ms.*\) ([^;()]*);/;

/** The collections in `text`, grouped by isolate in order of appearance: Map<isolate, event[]>. */
export function parseTraceGc(text) {
  const isolates = new Map();
  for (const line of text.split('\n')) {
    const m = LINE.exec(line);
    if (!m) continue;
    const events = isolates.get(m[1]) ?? [];
    events.push({ atMs: Number(m[2]), kind: m[3], beforeMB: Number(m[4]), afterMB: Number(m[6]), pauseMs: Number(m[8]), reason: m[10].trim() });
    isolates.set(m[1], events);
  }
  return isolates;
}

/**
 * Count, pauses and allocation of the collections between `fromMs` and `toMs` (the isolate's
 * clock). Allocation is what the heap grew between collections: each one's size before it,
 * minus the size after the one before (the first in the window counts from the last before it).
 */
export function gcWindow(events, fromMs, toMs) {
  const inside = events.filter((e) => e.atMs > fromMs && e.atMs <= toMs && e.reason !== 'testing');
  const byKind = {};
  for (const e of inside) byKind[e.kind] = (byKind[e.kind] ?? 0) + 1;
  let previous = events.findLast((e) => e.atMs <= fromMs);
  let allocatedMB = 0;
  for (const e of inside) {
    if (previous) allocatedMB += Math.max(0, e.beforeMB - previous.afterMB);
    previous = e;
  }
  return { pausesNs: inside.map((e) => Math.round(e.pauseMs * 1e6)), byKind, allocatedMB, pauseTotalMs: inside.reduce((sum, e) => sum + e.pauseMs, 0) };
}
