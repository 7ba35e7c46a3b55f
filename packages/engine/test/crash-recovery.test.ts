import { ReportKind } from '@cwts/shm-layout';
import { describe, expect, it } from 'vitest';
import { ordersLeftWorking, planRecovery, type CarriedPosition } from '../src/recovery/crash-recovery.js';
import { Position } from '../src/execution/position.js';

const report = (orderId: number, kind: number, cumulativeFilled = 0) => ({ kind: 'report', body: { kind, orderId, strategyId: 7, clientOrderId: 100 + orderId, symbolIndex: orderId % 2, cumulativeFilled } });
const stored = (strategyId: number, symbol: string, size: number) => ({ strategyId, symbol, size, avgPrice: 100, realizedPnl: 0, unrealizedPnl: 0, updatedMs: 0 });
const carried = (strategyId: number, symbol: string, size: number): CarriedPosition => ({ strategyId, symbol, size, avgPrice: 100, realizedPnl: 0 });

describe('orders the last run left working', () => {
  it('are those whose last report was not terminal, and approvals no report answered', () => {
    const records = [
      report(1, ReportKind.ACCEPTED), report(1, ReportKind.FILLED, 1), // ended
      report(2, ReportKind.ACCEPTED), report(2, ReportKind.PARTIALLY_FILLED, 0.4), // still working
      report(3, ReportKind.ACCEPTED), report(3, ReportKind.MODIFIED), // still working
      report(0, ReportKind.REJECTED), // a rejected signal: no order
      { kind: 'approval', body: { orderId: 4, strategyId: 8, clientOrderId: 44, symbol: 'ETH/USDT' } }, // parked, never answered
      { kind: 'approval', body: { orderId: 5, strategyId: 8, clientOrderId: 55, symbol: 'ETH/USDT' } }, report(5, ReportKind.REJECTED), // answered
    ];
    expect(ordersLeftWorking({ symbols: ['BTC/USDT', 'ETH/USDT'], records })).toEqual([
      { strategyId: 7, clientOrderId: 102, symbol: 'BTC/USDT', orderId: 2, filled: 0.4, accepted: true },
      { strategyId: 7, clientOrderId: 103, symbol: 'ETH/USDT', orderId: 3, filled: 0, accepted: true },
      { strategyId: 8, clientOrderId: 44, symbol: 'ETH/USDT', orderId: 4, filled: 0, accepted: false },
    ]);
  });
});

describe('the recovery plan', () => {
  const symbols = ['BTC/USDT', 'ETH/USDT'];

  it('takes the stored positions after a clean stop, whatever a segment says', () => {
    const plan = planRecovery({ crashed: false, stored: [stored(1, 'BTC/USDT', 2)], left: { mode: 2, positions: [carried(1, 'BTC/USDT', 3)], tornSlots: 0 }, endedOrders: [], symbols });
    expect(plan).toEqual({ positions: [stored(1, 'BTC/USDT', 2)], endedOrders: [], inconsistency: undefined });
  });

  it('after a crash, takes the segment when it agrees with the database, and names each difference when not', () => {
    const agree = planRecovery({ crashed: true, stored: [stored(1, 'BTC/USDT', 2)], left: { mode: 2, positions: [carried(1, 'BTC/USDT', 2)], tornSlots: 0 }, endedOrders: [], symbols });
    expect(agree.inconsistency).toBeUndefined();
    const differ = planRecovery({ crashed: true, stored: [stored(1, 'BTC/USDT', 2)], left: { mode: 2, positions: [carried(1, 'BTC/USDT', 2.5), carried(2, 'ETH/USDT', -1)], tornSlots: 0 }, endedOrders: [], symbols });
    expect(differ.positions).toEqual([carried(1, 'BTC/USDT', 2.5), carried(2, 'ETH/USDT', -1)]);
    expect(differ.inconsistency).toBe('positions differ between the trade database and the segment the crashed run left: strategy 1 in BTC/USDT: database 2, segment 2.5; strategy 2 in ETH/USDT: database none, segment -1');
  });

  it('counts torn slots, positions and orders in symbols no feed provides, as inconsistencies', () => {
    const plan = planRecovery({
      crashed: true, stored: [stored(1, 'DOGE/USDT', 5)], left: { mode: 2, positions: [carried(1, 'DOGE/USDT', 5)], tornSlots: 1 },
      endedOrders: [{ strategyId: 1, clientOrderId: 9, symbol: 'DOGE/USDT', orderId: 3, filled: 0, accepted: true }], symbols,
    });
    expect(plan.positions).toEqual([]);
    expect(plan.endedOrders).toEqual([]);
    expect(plan.inconsistency).toMatch(/^1 position slot\(s\) were being written when the engine died; open positions in symbols no feed provides now: strategy 1 DOGE\/USDT 5; orders that were working in symbols no feed provides now, so no report can answer them: strategy 1 order 9 DOGE\/USDT$/);
  });
});

describe('a carried position', () => {
  it('keeps the size, average and realized P&L, and realizes the rest against its average', () => {
    const p = Position.carried(-4, 1002.5, 30);
    expect(p.figures(0.1, 0.5, 0)).toEqual({ size: -2, avgPrice: 100.25, realizedPnl: 30 * 0.1 * 0.5, unrealizedPnl: 0 });
    p.apply('buy', 1000, 4); // the short closes 2.5 ticks better than its average on each of 4 lots
    expect([p.lots, p.realizedTickLots]).toEqual([0, 40]);
  });
});
