/**
 * What a start takes over from the run before it. Positions come back from the trade database;
 * after a crash they are checked against what the dead run left in its segment (the hot loop
 * writes a position there before the report, so the segment is the freshest word). Orders that
 * were still working on the simulated venue when the last run ended are answered as ended
 * (ENGINE_STOPPED): the venue's book died with the process. Anything that does not add up is
 * an inconsistency, and the engine comes up in EMERGENCY with it as the reason.
 */
import { MarketDataReader, PositionReader, Segment } from '@cwts/py-bridge';
import { ReportKind } from '@cwts/shm-layout';
import type { StoredPosition } from '../execution/trade-store.js';

export interface CarriedPosition {
  readonly strategyId: number;
  readonly symbol: string;
  readonly size: number;
  readonly avgPrice: number;
  readonly realizedPnl: number;
}

export interface EndedOrder {
  readonly strategyId: number;
  readonly clientOrderId: number;
  readonly symbol: string;
  readonly orderId: number;
  /** Base size filled before the run ended. */
  readonly filled: number;
  /** False for an order still waiting for a SEMI_AUTO approval: it was never accepted. */
  readonly accepted: boolean;
}

export interface LeftBehind {
  readonly mode: number;
  readonly positions: readonly CarriedPosition[];
  /** Position slots whose writer died inside them. */
  readonly tornSlots: number;
}

export interface RecoveryPlan {
  readonly positions: readonly CarriedPosition[];
  readonly endedOrders: readonly EndedOrder[];
  /** Why the engine must start in EMERGENCY; undefined when everything agrees. */
  readonly inconsistency: string | undefined;
}

/** What the last run left in /dev/shm/<name>, read before the new segment replaces it; undefined when nothing is there. */
export function readLeftBehind(segmentName: string): LeftBehind | undefined {
  let segment: Segment;
  try {
    segment = Segment.attach(segmentName);
  } catch {
    return undefined;
  }
  const names = new MarketDataReader(segment).readAll().map((s) => s.name);
  let tornSlots = 0;
  const positions: CarriedPosition[] = [];
  for (const read of new PositionReader(segment).readAll()) {
    if (!read.ok) tornSlots++;
    else positions.push({ strategyId: read.position.strategyId, symbol: names[read.position.symbolIndex] ?? `#${read.position.symbolIndex}`, size: read.position.size, avgPrice: read.position.avgPrice, realizedPnl: read.position.realizedPnl });
  }
  return { mode: segment.header.controlMode, positions, tornSlots };
}

/** The last run's audit records this needs: its 'start' (symbols by slot), reports and approvals. */
export interface LastRunRecords {
  readonly symbols: readonly string[];
  readonly records: readonly { kind: string; body: unknown }[];
}

interface ReportBody { kind: number; orderId: number; strategyId: number; clientOrderId: number; symbolIndex: number; cumulativeFilled: number }
interface ApprovalBody { orderId: number; strategyId: number; clientOrderId: number; symbol: string }

const WORKING = new Set<number>([ReportKind.ACCEPTED, ReportKind.PARTIALLY_FILLED, ReportKind.MODIFIED]);

/** Orders whose last report in the last run left them working, and approvals no report answered. */
export function ordersLeftWorking(lastRun: LastRunRecords): EndedOrder[] {
  const byOrder = new Map<number, EndedOrder | undefined>();
  for (const { kind, body } of lastRun.records) {
    if (kind === 'approval') {
      const a = body as ApprovalBody;
      byOrder.set(a.orderId, { strategyId: a.strategyId, clientOrderId: a.clientOrderId, symbol: a.symbol, orderId: a.orderId, filled: 0, accepted: false });
    } else if (kind === 'report') {
      const r = body as ReportBody;
      if (r.orderId === 0) continue; // a rejected signal: no order
      byOrder.set(r.orderId, WORKING.has(r.kind)
        ? { strategyId: r.strategyId, clientOrderId: r.clientOrderId, symbol: lastRun.symbols[r.symbolIndex] ?? `#${r.symbolIndex}`, orderId: r.orderId, filled: r.cumulativeFilled, accepted: true }
        : undefined);
    }
  }
  return [...byOrder.values()].filter((o): o is EndedOrder => o !== undefined);
}

const key = (p: { strategyId: number; symbol: string }): string => `${p.strategyId} ${p.symbol}`;
const same = (a: number, b: number): boolean => Math.abs(a - b) <= 1e-9 * Math.max(1, Math.abs(a), Math.abs(b));

function describe(p: CarriedPosition | StoredPosition | undefined): string {
  return p ? String(p.size) : 'none';
}

export function planRecovery(input: {
  readonly crashed: boolean;
  readonly stored: readonly StoredPosition[];
  readonly left: LeftBehind | undefined;
  readonly endedOrders: readonly EndedOrder[];
  /** The symbols this run trades. */
  readonly symbols: readonly string[];
}): RecoveryPlan {
  const problems: string[] = [];
  const stored = input.stored.filter((p) => p.size !== 0 || p.realizedPnl !== 0);
  let positions: readonly CarriedPosition[] = stored;
  if (input.crashed && input.left) {
    const left = input.left.positions.filter((p) => p.size !== 0 || p.realizedPnl !== 0);
    if (input.left.tornSlots) problems.push(`${input.left.tornSlots} position slot(s) were being written when the engine died`);
    const storedBy = new Map(stored.map((p) => [key(p), p]));
    const leftBy = new Map(left.map((p) => [key(p), p]));
    const differ = [...new Set([...storedBy.keys(), ...leftBy.keys()])].filter((k) => !same(storedBy.get(k)?.size ?? 0, leftBy.get(k)?.size ?? 0));
    if (differ.length) {
      problems.push(`positions differ between the trade database and the segment the crashed run left: ${differ.map((k) => `strategy ${k.replace(' ', ' in ')}: database ${describe(storedBy.get(k))}, segment ${describe(leftBy.get(k))}`).join('; ')}`);
    }
    // The segment is written before each report: the freshest word on where the positions stood.
    positions = left;
  }
  const traded = new Set(input.symbols);
  const orphans = positions.filter((p) => p.size !== 0 && !traded.has(p.symbol));
  if (orphans.length) problems.push(`open positions in symbols no feed provides now: ${orphans.map((p) => `strategy ${p.strategyId} ${p.symbol} ${p.size}`).join(', ')}`);
  const unreported = input.endedOrders.filter((o) => !traded.has(o.symbol));
  if (unreported.length) problems.push(`orders that were working in symbols no feed provides now, so no report can answer them: ${unreported.map((o) => `strategy ${o.strategyId} order ${o.clientOrderId} ${o.symbol}`).join(', ')}`);
  return {
    positions: positions.filter((p) => traded.has(p.symbol)),
    endedOrders: input.endedOrders.filter((o) => traded.has(o.symbol)),
    inconsistency: problems.length ? problems.join('; ') : undefined,
  };
}
