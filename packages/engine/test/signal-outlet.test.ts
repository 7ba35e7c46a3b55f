/** The outlet the model and fusion send orders through: market orders into the real signal ring, and why one was not sent. */
import { Segment, SignalConsumer, emptySignal } from '@cwts/py-bridge';
import { OrderType, SignalAction, SIGNAL_CAPACITY } from '@cwts/shm-layout';
import { afterAll, describe, expect, it } from 'vitest';
import { SignalOutlet } from '../src/execution/signal-outlet.js';

const NAME = `cwts-outlet-test-${process.pid}`;
afterAll(() => Segment.unlink(NAME));

describe('signal outlet', () => {
  const segment = Segment.create({ name: NAME });
  const outlet = new SignalOutlet(segment, (symbol) => ({ 'BTC/USDT': 0, 'ETH/USDT': 1 })[symbol]);

  it('writes a market order with the strategy id, size and confidence, and says its client order id', () => {
    const consumer = new SignalConsumer(Segment.attach(NAME));
    const result = outlet.sendMarket(9000, 'ETH/USDT', 'sell', 0.01, 0.7);
    expect(result).toEqual({ sent: true, clientOrderId: expect.any(Number) });
    const signal = emptySignal();
    expect(consumer.poll(signal)).toBe(true);
    expect(signal).toMatchObject({ action: SignalAction.SELL, orderType: OrderType.MARKET, symbolIndex: 1, strategyId: 9000, size: 0.01, price: 0, confidence: 0.7, clientOrderId: (result as { clientOrderId: number }).clientOrderId });
  });

  it('says why it sent nothing: no size, an unknown symbol, execution off, a full ring', () => {
    expect(outlet.sendMarket(9000, 'BTC/USDT', 'buy', undefined, 1)).toEqual({ sent: false, why: 'no orderSize configured for BTC/USDT' });
    expect(outlet.sendMarket(9000, 'DOGE/USDT', 'buy', 1, 1)).toEqual({ sent: false, why: 'unknown symbol DOGE/USDT' });
    expect(new SignalOutlet(undefined, () => 0).sendMarket(9000, 'BTC/USDT', 'buy', 1, 1)).toEqual({ sent: false, why: 'execution is off (execution.enabled: false)' });
    for (let i = 0; i < SIGNAL_CAPACITY; i++) outlet.sendMarket(9000, 'BTC/USDT', 'buy', 1, 1);
    expect(outlet.sendMarket(9000, 'BTC/USDT', 'buy', 1, 1)).toMatchObject({ sent: false, why: expect.stringMatching(/signal ring is full/) });
  });
});
