/**
 * The control socket: a ZeroMQ ROUTER per endpoint that answers operators and remote
 * strategies (schema.ts has the commands). Every request gets exactly one reply with its id,
 * `ok: true` with a result or `ok: false` with an error code and a message; a request that
 * is not even JSON is answered too (id null). A submitted signal's reports follow its reply.
 * Replies go out through an outbox with ROUTER_MANDATORY and no send timeout, so a peer that
 * is gone or does not read costs a counted failure, never a wait.
 */
import { Router, type Context } from 'zeromq';
import { SignalProducerError } from '@cwts/py-bridge';
import { OrderType, SignalAction, TimeInForce } from '@cwts/shm-layout';
import { ExecutionOffError, type Engine } from '../engine.js';
import type { NetworkConfig } from '../config/schema.js';
import { LimitUpdateError } from '../risk/limit-update.js';
import type { CurveKeyPair } from './curve-keys.js';
import { bindEach } from './endpoint-binding.js';
import { Outbox } from './outbox.js';
import { RemoteSignals, type PeerSink } from './remote-signals.js';
import { RequestError, SCHEMA_VERSION, parseRequest, type ControlReply, type ControlRequest, type RequestId } from './schema.js';

export interface RouterCounts {
  readonly requests: number;
  readonly errors: number;
  readonly replyDropped: number;
  readonly replyFailed: number;
  readonly openSignals: number;
}

export class ControlRouter {
  private readonly outboxes = new Map<Router, Outbox>();
  private readonly serving: Promise<void>[] = [];
  /** SEMI_AUTO orders waiting for an operator, from the 'approval' events. */
  private readonly awaitingApproval = new Set<number>();
  private readonly stopListening: (() => void)[] = [];
  private readonly signals: RemoteSignals;
  private requests = 0;
  private errors = 0;

  private constructor(private readonly engine: Engine, sockets: Router[], highWaterMark: number, private readonly networkHealth: () => Record<string, unknown>) {
    this.signals = new RemoteSignals(engine);
    for (const socket of sockets) this.outboxes.set(socket, new Outbox(socket, highWaterMark));
    this.stopListening.push(
      engine.on('approval', (a) => this.awaitingApproval.add(a.orderId)),
      // A parked order's next report (routed, refused or timed out) ends its wait.
      engine.on('report', (r) => this.awaitingApproval.delete(r.orderId)),
    );
    for (const socket of sockets) this.serving.push(this.serve(socket));
  }

  static async open(context: Context, engine: Engine, config: NetworkConfig, curve: CurveKeyPair | undefined, networkHealth: () => Record<string, unknown>): Promise<ControlRouter> {
    const sockets = await bindEach(config.control, () =>
      new Router({ context, linger: 0, mandatory: true, sendTimeout: 0, sendHighWaterMark: config.highWaterMark, maxMessageSize: config.maxRequestBytes }), curve);
    return new ControlRouter(engine, sockets, config.highWaterMark, networkHealth);
  }

  private async serve(socket: Router): Promise<void> {
    const outbox = this.outboxes.get(socket)!;
    try {
      for await (const frames of socket) {
        // [routing id, (empty delimiter from a REQ peer), body]: replies keep the same envelope.
        const envelope = frames.slice(0, -1);
        const peer: PeerSink = (message) => outbox.push([...envelope, JSON.stringify(message)]);
        peer(this.answer(frames.length >= 2 ? frames.at(-1)! : Buffer.alloc(0), peer));
      }
    } catch (error) {
      // Closing the socket ends the loop; anything else is a fault worth seeing.
      if (!(error as { code?: string }).code?.startsWith('E')) process.stderr.write(`cwts: control socket failed: ${(error as Error).message}\n`);
    }
  }

  private answer(body: Buffer, peer: PeerSink): ControlReply {
    this.requests++;
    let id: RequestId = null;
    try {
      const parsed = parseRequest(body);
      id = parsed.id;
      return { v: SCHEMA_VERSION, type: 'reply', id, ok: true, result: this.execute(parsed.request, id, peer) ?? null };
    } catch (error) {
      this.errors++;
      const failure = error instanceof RequestError ? error : asRequestError(error as Error);
      return { v: SCHEMA_VERSION, type: 'reply', id: failure.id ?? id, ok: false, error: { code: failure.code, message: failure.message } };
    }
  }

  private execute(request: ControlRequest, id: RequestId, peer: PeerSink): unknown {
    const engine = this.engine;
    switch (request.cmd) {
      case 'ping':
        return { pong: true, v: SCHEMA_VERSION, pid: process.pid };
      case 'status':
        return { ...engine.state(), mode: engine.mode, killEngaged: engine.killEngaged, network: this.networkHealth() };
      case 'positions':
        return engine.positions();
      case 'mode.set':
        try {
          engine.setMode(request.mode, request.reason ?? 'set over the control socket', { operator: request.operator });
        } catch (error) {
          // The mode machine's refusal: leaving EMERGENCY needs the operator flag and a passing recovery check.
          throw new RequestError('REFUSED', (error as Error).message);
        }
        return { mode: engine.mode };
      case 'kill.engage':
        engine.engageKill(request.reason ?? 'engaged over the control socket', 'network');
        return { killEngaged: engine.killEngaged };
      case 'kill.release':
        engine.releaseKill(request.reason ?? 'released over the control socket', 'network');
        return { killEngaged: engine.killEngaged };
      case 'limits.get':
        return engine.limits;
      case 'limits.set':
        engine.updateLimit({ target: request.strategy, field: request.field, value: request.value });
        return engine.limits;
      case 'approve':
      case 'refuse':
        if (!this.awaitingApproval.delete(request.orderId)) throw new RequestError('REFUSED', `order ${request.orderId} is not waiting for approval (the 'approval' topic announces those that are)`);
        if (request.cmd === 'approve') engine.approve(request.orderId);
        else engine.refuse(request.orderId);
        return { orderId: request.orderId, decision: request.cmd === 'approve' ? 'approved' : 'refused' };
      case 'breakers.reset':
        engine.resetBreakers();
        return { mode: engine.mode };
      case 'strategy.enable':
        engine.enableStrategy(request.strategyId);
        return { strategyId: request.strategyId, enabled: true };
      case 'signal.submit': {
        const { cmd: _cmd, ...signal } = request;
        return this.signals.submit(peer, id, signal);
      }
      case 'signal.cancel':
        return this.signals.submit(peer, id, {
          symbol: request.symbol, strategyId: request.strategyId, action: SignalAction.CANCEL, targetClientOrderId: request.clientOrderId,
          orderType: OrderType.LIMIT, timeInForce: TimeInForce.GTC, size: 0, price: 0, confidence: 1,
        });
    }
  }

  get counts(): RouterCounts {
    const outboxes = [...this.outboxes.values()];
    return {
      requests: this.requests, errors: this.errors, openSignals: this.signals.open,
      replyDropped: outboxes.reduce((n, o) => n + o.dropped, 0), replyFailed: outboxes.reduce((n, o) => n + o.failed, 0),
    };
  }

  async close(): Promise<void> {
    for (const off of this.stopListening) off();
    this.signals.close();
    for (const socket of this.outboxes.keys()) socket.close();
    await Promise.all(this.serving);
  }
}

/** What the engine threw, as the error a reply carries. */
function asRequestError(error: Error): RequestError {
  if (error instanceof LimitUpdateError) return new RequestError('INVALID_ARGUMENT', error.message);
  if (error instanceof SignalProducerError) return new RequestError(error.code === 'RING_FULL' ? 'RING_FULL' : 'INTERNAL', error.message);
  if (error instanceof ExecutionOffError) return new RequestError('EXECUTION_OFF', error.message);
  return new RequestError('INTERNAL', error.message);
}
