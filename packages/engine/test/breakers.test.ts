import { ReportKind } from '@cwts/shm-layout';
import type { Report } from '@cwts/py-bridge';
import { describe, expect, it } from 'vitest';
import { Breakers, type BreakerConfig, type BreakerTrip } from '../src/risk/breakers.js';

const position = (realizedPnl: number, unrealizedPnl = 0, strategyId = 1) => ({ strategyId, symbolIndex: 0, size: 1, avgPrice: 100, realizedPnl, unrealizedPnl });
const report = (kind: number): Report => ({ kind, reason: 0, clientOrderId: 1, strategyId: 1, symbolIndex: 0, signalPosition: 0, fillSize: 0, fillPrice: 0, cumulativeFilled: 0, remaining: 0, orderId: 1 });

function breakers(config: Partial<BreakerConfig>) {
  const trips: BreakerTrip[] = [];
  return { b: new Breakers({ reset: 'operator', ...config }, (t) => trips.push(t)), trips };
}

describe('circuit breakers', () => {
  it('trips on consecutive losing closes, and a gain resets the streak', () => {
    const { b, trips } = breakers({ consecutiveLosses: 3 });
    [0, -10, -20, 5, -5, -15].forEach((r) => b.onPosition(position(r), 0));
    expect(trips).toEqual([]);
    b.onPosition(position(-30), 0);
    expect(trips).toEqual([{ breaker: 'consecutive losses', limit: 3, value: 3, atMs: 0 }]);
  });

  it('trips on drawdown of the account P&L from its peak, over every strategy', () => {
    const { b, trips } = breakers({ maxDrawdown: 100 });
    b.onPosition(position(50, 100, 1), 0);
    b.onPosition(position(0, 20, 2), 0); // peak 170
    b.onPosition(position(50, 10, 1), 0); // 80: down 90
    expect(trips).toEqual([]);
    b.onPosition(position(50, 0, 1), 0); // 70: down 100, not more
    b.onPosition(position(0, 15, 2), 0); // 65: down 105
    expect(trips).toMatchObject([{ breaker: 'drawdown', limit: 100, value: 105 }]);
  });

  it('trips on the share of rejects once the window holds enough reports, and on latency', () => {
    const { b, trips } = breakers({ errorRate: { limit: 0.5, windowMs: 1000, minReports: 4 }, latencyP99Us: 500 });
    b.onReport(report(ReportKind.REJECTED), 0);
    b.onReport(report(ReportKind.REJECTED), 1);
    b.onReport(report(ReportKind.ACCEPTED), 2); // not terminal: not counted
    b.onReport(report(ReportKind.FILLED), 3);
    expect(trips).toEqual([]);
    b.onReport(report(ReportKind.REJECTED), 4); // 3 of 4
    b.onLatency(400_000, 5);
    b.onLatency(600_000, 6);
    expect(trips.map((t) => [t.breaker, t.value])).toEqual([['error rate', 0.75], ['latency', 600]]);
  });

  it('stays tripped until the operator resets it, or clears itself after the configured cool-down', () => {
    const manual = breakers({ latencyP99Us: 1 });
    manual.b.onLatency(5000, 0);
    expect(manual.b.active(1e9).map((t) => t.breaker)).toEqual(['latency']);
    manual.b.reset();
    expect(manual.b.active(1e9)).toEqual([]);
    const timed = breakers({ latencyP99Us: 1, reset: 1000 });
    timed.b.onLatency(5000, 0);
    timed.b.onLatency(5000, 500); // still tripped: no second trip
    expect(timed.trips).toHaveLength(1);
    expect(timed.b.active(999)).toHaveLength(1);
    expect(timed.b.active(1000)).toEqual([]);
    timed.b.onLatency(5000, 1001);
    expect(timed.trips).toHaveLength(2);
  });
});
