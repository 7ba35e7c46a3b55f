/**
 * The one message schema of the engine's ZeroMQ sockets (docs/network.md), version 1, the
 * same over ipc:// and tcp://. Events: two frames, the topic and a JSON envelope
 * `{v, topic, seq, ts, data}`. Control: a JSON request `{v, id, cmd, ...args}`, answered by
 * `{v, type: 'reply', id, ok, result | error}`, and for a submitted signal by every report of
 * it, `{v, type: 'report', id, report}`.
 */
import { z } from 'zod';
import { OrderType, RejectReason, ReportKind, SignalAction, TimeInForce } from '@cwts/shm-layout';
import type { Report } from '@cwts/py-bridge';
import { isTerminalKind } from '../execution/execution.js';

export const SCHEMA_VERSION = 1;

/** Every event topic; a book's is `book.<symbol>`, so `book.` subscribes to all books. */
export const TOPICS = ['report', 'fill', 'position', 'mode', 'breaker', 'kill', 'risk', 'approval', 'limit', 'health', 'model', 'fusion', 'book'] as const;
export type Topic = (typeof TOPICS)[number];

export const bookTopic = (symbol: string): string => `book.${symbol}`;

export interface EventEnvelope<T = unknown> {
  readonly v: typeof SCHEMA_VERSION;
  readonly topic: string;
  /** Per topic (per symbol for books), from 1: a gap is a message this subscriber lost. */
  readonly seq: number;
  /** When it was published, ms since the epoch. */
  readonly ts: number;
  readonly data: T;
}

export function encodeEvent(topic: string, seq: number, data: unknown): [string, string] {
  const envelope: EventEnvelope = { v: SCHEMA_VERSION, topic, seq, ts: Date.now(), data };
  return [topic, JSON.stringify(envelope)];
}

/** Names of an enum's values, for the wire: numbers are opaque to a reader of the JSON. */
function nameOf(values: Readonly<Record<string, number>>, value: number): string {
  return Object.entries(values).find(([, v]) => v === value)?.[0] ?? `UNKNOWN_${value}`;
}

export interface WireReport {
  readonly kind: string;
  readonly reason: string;
  readonly clientOrderId: number;
  readonly strategyId: number;
  readonly symbol: string;
  readonly orderId: number;
  readonly fillSize: number;
  readonly fillPrice: number;
  readonly cumulativeFilled: number;
  readonly remaining: number;
  readonly signalPosition: number;
  /** FILLED, CANCELLED, REJECTED or EXPIRED: the signal's one last report. */
  readonly terminal: boolean;
}

export function wireReport(report: Report, symbol: string): WireReport {
  return {
    kind: nameOf(ReportKind, report.kind), reason: nameOf(RejectReason, report.reason), clientOrderId: report.clientOrderId,
    strategyId: report.strategyId, symbol, orderId: report.orderId, fillSize: report.fillSize, fillPrice: report.fillPrice,
    cumulativeFilled: report.cumulativeFilled, remaining: report.remaining, signalPosition: report.signalPosition,
    terminal: isTerminalKind(report.kind),
  };
}

export const ERROR_CODES = [
  'BAD_REQUEST', 'UNSUPPORTED_VERSION', 'UNKNOWN_COMMAND', 'INVALID_ARGUMENT', 'REFUSED', 'RING_FULL', 'EXECUTION_OFF', 'INTERNAL',
] as const;
export type ErrorCode = (typeof ERROR_CODES)[number];

export type RequestId = string | number | null;

export type ControlReply =
  | { readonly v: typeof SCHEMA_VERSION; readonly type: 'reply'; readonly id: RequestId; readonly ok: true; readonly result: unknown }
  | { readonly v: typeof SCHEMA_VERSION; readonly type: 'reply'; readonly id: RequestId; readonly ok: false; readonly error: { readonly code: ErrorCode; readonly message: string } }
  | { readonly v: typeof SCHEMA_VERSION; readonly type: 'report'; readonly id: RequestId; readonly report: WireReport };

/** An enum field: its name, or its number (an out-of-range number reaches the hot loop, which rejects it with a reason). */
const enumField = (values: Readonly<Record<string, number>>) =>
  z.union([z.enum(Object.keys(values) as [string, ...string[]]).transform((name) => values[name]!), z.number().int().min(0).max(0xffffffff)]);
const u32 = z.number().int().min(0).max(0xffffffff);
const modeName = z.enum(['MANUAL', 'SEMI_AUTO', 'FULL_AUTO', 'EMERGENCY']);
const reason = z.string().max(500).optional();

const signalFields = {
  symbol: z.string().min(1).max(31),
  strategyId: u32.default(0),
};

/** Every control command with its arguments. */
export const controlRequestSchema = z.discriminatedUnion('cmd', [
  z.strictObject({ cmd: z.literal('ping') }),
  z.strictObject({ cmd: z.literal('status') }),
  z.strictObject({ cmd: z.literal('positions') }),
  z.strictObject({ cmd: z.literal('mode.set'), mode: modeName, reason, operator: z.boolean().default(false) }),
  z.strictObject({ cmd: z.literal('kill.engage'), reason }),
  z.strictObject({ cmd: z.literal('kill.release'), reason }),
  z.strictObject({ cmd: z.literal('limits.get') }),
  z.strictObject({ cmd: z.literal('limits.set'), strategy: z.union([u32, z.literal('*'), z.literal('account')]), field: z.string().min(1).max(64), value: z.number() }),
  z.strictObject({ cmd: z.literal('approve'), orderId: u32 }),
  z.strictObject({ cmd: z.literal('refuse'), orderId: u32 }),
  z.strictObject({ cmd: z.literal('breakers.reset') }),
  z.strictObject({ cmd: z.literal('strategy.enable'), strategyId: u32 }),
  z.strictObject({
    cmd: z.literal('signal.submit'), ...signalFields,
    action: enumField(SignalAction),
    size: z.number(),
    price: z.number().default(0),
    orderType: enumField(OrderType).default(OrderType.LIMIT),
    timeInForce: enumField(TimeInForce).default(TimeInForce.GTC),
    confidence: z.number().default(1),
    targetClientOrderId: z.number().int().min(0).max(Number.MAX_SAFE_INTEGER).default(0),
  }),
  z.strictObject({ cmd: z.literal('signal.cancel'), ...signalFields, clientOrderId: z.number().int().min(1).max(Number.MAX_SAFE_INTEGER) }),
]);
export type ControlRequest = z.output<typeof controlRequestSchema>;
export const COMMANDS = controlRequestSchema.options.map((o) => o.shape.cmd.value);

export class RequestError extends Error {
  constructor(readonly code: ErrorCode, message: string, readonly id: RequestId = null) {
    super(message);
  }
}

/** Parses one request body; throws RequestError with the code a reply carries. */
export function parseRequest(body: Buffer): { id: RequestId; request: ControlRequest } {
  let message: unknown;
  try {
    message = JSON.parse(body.toString('utf8'));
  } catch (error) {
    throw new RequestError('BAD_REQUEST', `the request is not JSON: ${(error as Error).message}`);
  }
  if (typeof message !== 'object' || message === null || Array.isArray(message)) throw new RequestError('BAD_REQUEST', 'the request must be a JSON object {v, id, cmd, ...}');
  const { v, id, ...rest } = message as Record<string, unknown>;
  const requestId: RequestId = typeof id === 'string' || (typeof id === 'number' && Number.isFinite(id)) ? id : null;
  if (requestId === null) throw new RequestError('BAD_REQUEST', 'the request needs an id (a string or a number), echoed in its reply');
  if (v !== SCHEMA_VERSION) throw new RequestError('UNSUPPORTED_VERSION', `this engine speaks schema version ${SCHEMA_VERSION}, the request says ${JSON.stringify(v)}`, requestId);
  if (typeof rest.cmd !== 'string' || !(COMMANDS as readonly string[]).includes(rest.cmd)) {
    throw new RequestError('UNKNOWN_COMMAND', `unknown command ${JSON.stringify(rest.cmd)}; one of ${COMMANDS.join(', ')}`, requestId);
  }
  const parsed = controlRequestSchema.safeParse(rest);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `${i.path.join('.') || 'request'}: ${i.message}`).join('; ');
    throw new RequestError('INVALID_ARGUMENT', `${rest.cmd}: ${problems}`, requestId);
  }
  return { id: requestId, request: parsed.data };
}
