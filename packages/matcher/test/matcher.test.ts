import { describe, expect, it } from 'vitest';
import { COMMAND_FIELDS, EventType, Matcher, OrderType, Reason, SelfTrade, Side, TimeInForce, writeCommand, type Command } from '../src/index.js';

const { BUY, SELL } = Side;

describe('Matcher (C++ through Node-API)', () => {
  it('rests, sorts and fills by price then time, reporting both sides of each fill', () => {
    const m = new Matcher();
    expect(m.submit({ id: 1, owner: 1, side: SELL, price: 100, qty: 3 })).toMatchObject([{ type: EventType.RESTED, orderId: 1, remaining: 3 }]);
    m.submit({ id: 2, owner: 2, side: SELL, price: 100, qty: 4 });
    m.submit({ id: 3, owner: 3, side: SELL, price: 99, qty: 1 });
    expect(m.levels(SELL)).toEqual([{ price: 99, qty: 1, orders: 1 }, { price: 100, qty: 7, orders: 2 }]);
    const events = m.submit({ id: 4, owner: 4, side: BUY, price: 100, qty: 6 });
    expect(events.map((e) => [e.type, e.makerId, e.price, e.qty, e.remaining, e.makerRemaining])).toEqual([
      [EventType.FILL, 3, 99, 1, 5, 0],
      [EventType.FILL, 1, 100, 3, 2, 0],
      [EventType.FILL, 2, 100, 2, 0, 2],
    ]);
    expect(m.orderCount).toBe(1);
    expect(m.checkInvariants()).toBe('');
  });

  it('handles market, IOC, FOK and post-only as the C++ tests do', () => {
    const m = new Matcher();
    m.submit({ id: 1, owner: 1, side: SELL, price: 100, qty: 2 });
    expect(m.submit({ id: 2, owner: 2, side: BUY, type: OrderType.MARKET, price: 0, qty: 5 }).at(-1)).toMatchObject({ type: EventType.CANCELLED, reason: Reason.NO_LIQUIDITY, qty: 3 });
    m.submit({ id: 3, owner: 1, side: SELL, price: 100, qty: 2 });
    expect(m.submit({ id: 4, owner: 2, side: BUY, timeInForce: TimeInForce.FOK, price: 100, qty: 3 })).toMatchObject([{ type: EventType.REJECTED, reason: Reason.FILL_OR_KILL_UNFILLED }]);
    expect(m.submit({ id: 5, owner: 2, side: BUY, timeInForce: TimeInForce.POST_ONLY, price: 100, qty: 1 })).toMatchObject([{ type: EventType.REJECTED, reason: Reason.POST_ONLY_WOULD_CROSS }]);
    expect(m.submit({ id: 6, owner: 2, side: BUY, timeInForce: TimeInForce.IOC, price: 100, qty: 3 }).map((e) => e.type)).toEqual([EventType.FILL, EventType.CANCELLED]);
    expect(m.orderCount).toBe(0);
  });

  it('prevents self-trades in the mode asked', () => {
    const m = new Matcher();
    m.submit({ id: 1, owner: 7, side: SELL, price: 100, qty: 2 });
    expect(m.submit({ id: 2, owner: 7, side: BUY, price: 100, qty: 1, selfTrade: SelfTrade.CANCEL_MAKER })).toMatchObject([
      { type: EventType.CANCELLED, orderId: 1, reason: Reason.SELF_TRADE },
      { type: EventType.RESTED, orderId: 2 },
    ]);
  });

  it('cancels and modifies, keeping priority only for a smaller size at the same price', () => {
    const m = new Matcher();
    m.submit({ id: 1, owner: 1, side: BUY, price: 100, qty: 5 });
    m.submit({ id: 2, owner: 2, side: BUY, price: 100, qty: 5 });
    expect(m.modify(1, 100, 2)).toMatchObject([{ type: EventType.MODIFIED, qty: 2 }]);
    expect(m.submit({ id: 3, owner: 3, side: SELL, price: 100, qty: 2 })[0]).toMatchObject({ makerId: 1 });
    expect(m.cancel(2)).toMatchObject([{ type: EventType.CANCELLED, reason: Reason.REQUESTED, qty: 5 }]);
    expect(m.cancel(2)).toMatchObject([{ type: EventType.REJECTED, reason: Reason.UNKNOWN_ORDER }]);
  });

  it('rejects bad numbers from JS with a reason instead of undefined behaviour', () => {
    const m = new Matcher();
    const reason = (order: Parameters<Matcher['submit']>[0]) => m.submit(order)[0]!.reason;
    expect(reason({ id: 1, owner: 1, side: BUY, price: NaN, qty: 1 })).toBe(Reason.INVALID_PRICE);
    expect(reason({ id: 2, owner: 1, side: BUY, price: Infinity, qty: 1 })).toBe(Reason.INVALID_PRICE);
    expect(reason({ id: 3, owner: 1, side: BUY, price: 100.5, qty: 1 })).toBe(Reason.INVALID_PRICE);
    expect(reason({ id: 4, owner: 1, side: BUY, price: 100, qty: NaN })).toBe(Reason.INVALID_QUANTITY);
    expect(reason({ id: 5, owner: 1, side: BUY, price: 100, qty: -1 })).toBe(Reason.INVALID_QUANTITY);
    expect(reason({ id: 6, owner: 1, side: BUY, price: 100, qty: 2 ** 60 })).toBe(Reason.INVALID_QUANTITY);
    expect(reason({ id: 7, owner: 1, side: 9 as never, price: 100, qty: 1 })).toBe(Reason.INVALID_ENUM);
    expect(reason({ id: 8, owner: 1, side: BUY, timeInForce: -1 as never, price: 100, qty: 1 })).toBe(Reason.INVALID_ENUM);
    expect(reason({ id: NaN, owner: 1, side: BUY, price: 100, qty: 1 })).toBe(Reason.DUPLICATE_ID);
    expect(m.orderCount).toBe(0);
    expect(() => new Matcher(0)).toThrow(/capacity/);
  });

  it('runs a batch in one crossing with the same outcome as one call per command, and grows its event buffer', () => {
    const commands: Command[] = [];
    for (let i = 1; i <= 400; i++) commands.push({ op: 'submit', id: i, owner: i % 3, side: SELL, price: 100 + (i % 7), qty: 1 + (i % 4) });
    commands.push({ op: 'submit', id: 1000, owner: 9, side: BUY, type: OrderType.MARKET, price: 0, qty: 10_000 });
    commands.push({ op: 'cancel', id: 5 }, { op: 'modify', id: 1000, price: 1, qty: 1 });
    const batched = new Matcher(16).batch(commands);
    const single = new Matcher(16);
    const oneByOne = commands.flatMap((c, i) => {
      const events = c.op === 'submit' ? single.submit(c) : c.op === 'cancel' ? single.cancel(c.id) : single.modify(c.id, c.price, c.qty);
      return events.map((e) => ({ ...e, command: i }));
    });
    expect(batched.length).toBeGreaterThan(256); // more than the initial buffer holds
    expect(batched).toEqual(oneByOne);
    expect(batched.filter((e) => e.type === EventType.FILL)).toHaveLength(400);
  });

  it('keeps the book invariants and conserves quantity under random streams (property test)', () => {
    for (let seed = 1; seed <= 10; seed++) {
      let s = seed;
      const rand = (n: number): number => ((s = (Math.imul(s, 1103515245) + 12345) >>> 0), s % n);
      const m = new Matcher(32);
      const open = new Map<number, number>();
      const rows = new Float64Array(64 * COMMAND_FIELDS);
      let nextId = 1;
      for (let step = 0; step < 200; step++) {
        const commands: Command[] = [];
        for (let k = 0; k < 64; k++) {
          const op = rand(10);
          if (op < 6 || nextId === 1) {
            commands.push({ op: 'submit', id: nextId++, owner: rand(4), side: rand(2) as 0 | 1, type: rand(10) === 0 ? OrderType.MARKET : OrderType.LIMIT, timeInForce: rand(3) as 0 | 1 | 2, selfTrade: rand(3) as 0 | 1 | 2, price: 990 + rand(21), qty: 1 + rand(20) });
          } else if (op < 8) {
            commands.push({ op: 'cancel', id: 1 + rand(nextId - 1) });
          } else {
            commands.push({ op: 'modify', id: 1 + rand(nextId - 1), price: 990 + rand(21), qty: 1 + rand(20) });
          }
        }
        commands.forEach((c, i) => writeCommand(rows, i, c));
        const count = m.execute(rows, commands.length);
        const e = m.events;
        for (let i = 0; i < count; i++) {
          const r = i * 9;
          const [command, type, , orderId, makerId, , qty, remaining, makerRemaining] = [e[r]!, e[r + 1]!, e[r + 2]!, e[r + 3]!, e[r + 4]!, e[r + 5]!, e[r + 6]!, e[r + 7]!, e[r + 8]!];
          const c = commands[command]!;
          if (type === EventType.REJECTED) continue;
          if (c.op === 'submit' && !open.has(c.id)) open.set(c.id, c.qty);
          if (type === EventType.FILL) {
            open.set(orderId, open.get(orderId)! - qty);
            open.set(makerId, open.get(makerId)! - qty);
            expect([open.get(orderId), open.get(makerId)]).toEqual([remaining, makerRemaining]);
          } else if (type === EventType.CANCELLED) {
            expect(open.get(orderId)).toBe(qty);
            open.set(orderId, 0);
          } else if (type === EventType.MODIFIED) {
            open.set(orderId, qty);
          }
        }
        expect(m.checkInvariants()).toBe('');
        const working = [...open.values()].filter((q) => q > 0);
        expect(working.length).toBe(m.orderCount);
        const booked = [...m.levels(BUY, 100), ...m.levels(SELL, 100)].reduce((sum, l) => sum + l.qty, 0);
        expect(working.reduce((a, b) => a + b, 0)).toBe(booked);
      }
    }
  });
});
