import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ControlMode, RejectReason, ReportKind, SignalAction, SymbolStatus } from '@cwts/shm-layout';
import { emptySignal, type Report, type Signal } from '@cwts/py-bridge';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { validateConfig } from '../src/config/load.js';
import { Execution, type MarketView } from '../src/execution/execution.js';
import { SimulatedVenue } from '../src/execution/simulated-venue.js';
import { ModeMachine, RISK_MULTIPLIER, type ModeChange } from '../src/modes/control-mode.js';
import { PreTradeRisk } from '../src/risk/pre-trade.js';

describe('the mode machine', () => {
  let dir: string;
  let file: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'cwts-modes-'));
    file = join(dir, 'mode.json');
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  const open = (configured: number, left?: number) => {
    const applied: number[] = [];
    const changes: ModeChange[] = [];
    const { machine, why } = ModeMachine.open(file, configured, left, undefined, (m) => applied.push(m), (c) => changes.push(c));
    return { machine, why, applied, changes };
  };

  it('has the source documents\' multipliers', () => {
    expect([ControlMode.MANUAL, ControlMode.SEMI_AUTO, ControlMode.FULL_AUTO, ControlMode.EMERGENCY].map((m) => RISK_MULTIPLIER[m])).toEqual([0.5, 0.75, 1, 0]);
  });

  it('enters EMERGENCY from anywhere at once, and leaves it only by an operator with a passing recovery check', () => {
    const { machine, applied, changes } = open(ControlMode.FULL_AUTO);
    machine.set(ControlMode.EMERGENCY, 'breaker');
    expect(() => machine.set(ControlMode.FULL_AUTO, 'retry')).toThrow(/explicit operator action/);
    expect(() => machine.set(ControlMode.FULL_AUTO, 'retry', { operator: true, recovery: 'stale books: BTC/USDT' })).toThrow(/recovery check to pass: stale books/);
    machine.set(ControlMode.SEMI_AUTO, 'recovered', { operator: true });
    expect(applied).toEqual([ControlMode.FULL_AUTO, ControlMode.EMERGENCY, ControlMode.SEMI_AUTO]);
    expect(changes.map((c) => `${c.from}>${c.to}`)).toEqual(['FULL_AUTO>EMERGENCY', 'EMERGENCY>SEMI_AUTO']);
  });

  it('restores the mode after a crash, takes the configured one after a clean stop, and comes up in EMERGENCY on a mismatch', () => {
    open(ControlMode.FULL_AUTO).machine.set(ControlMode.SEMI_AUTO, 'operator'); // then "crashes": no close()
    expect(open(ControlMode.FULL_AUTO)).toMatchObject({ why: 'restored after a crash', machine: { mode: ControlMode.SEMI_AUTO } });
    const clean = open(ControlMode.FULL_AUTO);
    clean.machine.close();
    const manual = open(ControlMode.MANUAL).machine;
    expect(manual.mode).toBe(ControlMode.MANUAL);
    manual.close();
    // A crash in SEMI_AUTO, but the segment it left says FULL_AUTO: trust neither.
    expect(open(ControlMode.SEMI_AUTO).machine.mode).toBe(ControlMode.SEMI_AUTO);
    const mismatch = open(ControlMode.FULL_AUTO, ControlMode.FULL_AUTO);
    expect(mismatch.machine.mode).toBe(ControlMode.EMERGENCY);
    expect(mismatch.why).toMatch(/the mode file says SEMI_AUTO but the segment says FULL_AUTO/);
    writeFileSync(file, '{ not json');
    expect(open(ControlMode.FULL_AUTO).machine.mode).toBe(ControlMode.EMERGENCY);
  });
});

describe('execution in each control mode', () => {
  const levels = (ticks: number[], lots: number[]) => ({ ticks, lots, count: ticks.length });
  const risk = validateConfig({
    risk: { account: { creditLimit: 1e12 }, strategies: { '*': { maxOrderSize: 1, maxOrderValue: 1e12, creditLimit: 1e12, priceCollarPct: 50, maxOrdersPerSecond: 1e6, duplicateWindowMs: 0, maxFillsPerMinute: 1e6 } } },
  }).risk;
  function harness(mode: { value: number }, approvalTimeoutMs = 30_000) {
    const reports: Report[] = [];
    const approvals: number[] = [];
    const market: MarketView = {
      instrument: (i) => (i === 0 ? { tickSize: 0.1, lotSize: 0.001 } : undefined), name: () => 'X/Y',
      book: (i) => (i === 0 ? { bids: levels([999], [5000]), asks: levels([1001], [5000]), updateCount: 1, status: SymbolStatus.ACTIVE } : undefined),
      headerFlags: () => 0, controlMode: () => mode.value,
    };
    const execution = new Execution(market, new SimulatedVenue(), new PreTradeRisk(risk), {
      report: (r) => reports.push(r), position: () => undefined, risk: () => undefined, approval: (a) => approvals.push(a.orderId),
    }, approvalTimeoutMs);
    return { execution, reports, approvals };
  }
  let id = 0;
  const order = (fields: Partial<Signal> = {}): Signal => ({ ...emptySignal(), confidence: 1, action: SignalAction.BUY, orderType: 1, size: 0.5, clientOrderId: ++id, ...fields });
  const last = (reports: Report[]) => [reports.at(-1)!.kind, reports.at(-1)!.reason];

  it('MANUAL: strategies place nothing; FULL_AUTO: limits scaled by 1; SEMI_AUTO by 0.75', () => {
    const mode = { value: ControlMode.MANUAL };
    const { execution, reports } = harness(mode);
    execution.handle(order());
    expect(last(reports)).toEqual([ReportKind.REJECTED, RejectReason.MODE_MANUAL]);
    mode.value = ControlMode.FULL_AUTO;
    execution.handle(order({ size: 0.9 }));
    expect(last(reports)).toEqual([ReportKind.FILLED, 0]);
    mode.value = ControlMode.SEMI_AUTO;
    execution.handle(order({ size: 0.9 })); // above 0.75 x 1
    expect(last(reports)).toEqual([ReportKind.REJECTED, RejectReason.RISK_MAX_ORDER_SIZE]);
  });

  it('SEMI_AUTO: parks each order for an operator; approved it trades, refused or late it is rejected', () => {
    const mode = { value: ControlMode.SEMI_AUTO };
    const { execution, reports, approvals } = harness(mode, 50);
    execution.handle(order({ clientOrderId: 100 }));
    execution.handle(order({ clientOrderId: 101 }));
    execution.handle(order({ clientOrderId: 102 }));
    expect(reports).toEqual([]);
    expect(approvals).toHaveLength(3);
    execution.decide(approvals[0]!, true);
    execution.decide(approvals[1]!, false);
    execution.expireApprovals(Date.now() + 51);
    expect(reports.map((r) => [r.clientOrderId, r.kind, r.reason])).toEqual([
      [100, ReportKind.ACCEPTED, 0], [100, ReportKind.FILLED, 0], [101, ReportKind.REJECTED, RejectReason.APPROVAL_REJECTED], [102, ReportKind.REJECTED, RejectReason.APPROVAL_TIMEOUT],
    ]);
  });

  it('EMERGENCY: only orders that take a position toward zero', () => {
    const mode = { value: ControlMode.FULL_AUTO };
    const { execution, reports } = harness(mode);
    execution.handle(order({ size: 0.5 })); // long 0.5
    mode.value = ControlMode.EMERGENCY;
    execution.handle(order({ size: 0.1 }));
    expect(last(reports)).toEqual([ReportKind.REJECTED, RejectReason.MODE_EMERGENCY]);
    execution.handle(order({ action: SignalAction.SELL, size: 0.6 })); // beyond flat: it would open a short
    expect(last(reports)).toEqual([ReportKind.REJECTED, RejectReason.MODE_EMERGENCY]);
    execution.handle(order({ action: SignalAction.SELL, size: 0.5 }));
    expect(last(reports)).toEqual([ReportKind.FILLED, 0]);
  });
});
