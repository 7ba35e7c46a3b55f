/**
 * The audit trail: every report, risk decision, kill event and reconciliation appended to
 * SQLite (WAL) as a SHA-256 hash chain, each record's hash covering the previous one. The
 * latest head (sequence and hash) is also written beside the database, so that a truncated
 * or rewritten tail is found even when the chain in the database is self-consistent.
 * Records reach it from the main thread, never from the hot loop.
 */
import { createHash } from 'node:crypto';
import { closeSync, fsyncSync, mkdirSync, openSync, readFileSync, renameSync, writeSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';

/**
 * How hard a flushed batch is pushed to disk (SQLite's `synchronous` in WAL mode):
 * - FULL: the WAL and the head file are fsynced at every batch; a record survives a power cut.
 * - NORMAL: a record survives the engine's crash, but the last batches can vanish with a power
 *   cut or an OS crash; the head file then names records the database lacks, so
 *   `cwts audit verify` reports the lost tail.
 */
export type AuditDurability = 'FULL' | 'NORMAL';

export interface AuditHead {
  readonly seq: number;
  readonly hash: string;
}

export interface AuditRecord {
  readonly seq: number;
  readonly timeMs: number;
  readonly kind: string;
  readonly body: string;
  readonly prevHash: string;
  readonly hash: string;
}

export interface Verification {
  readonly records: number;
  /** The first record whose hash or link does not hold, when one does not. */
  readonly brokenAt?: { readonly seq: number; readonly why: string };
  /** The head file disagrees with the database's last record (a lost or replaced tail). */
  readonly headMismatch?: { readonly file: AuditHead; readonly database: AuditHead | undefined };
}

const GENESIS = '0'.repeat(64);

export function headPath(database: string): string {
  return `${database}.head`;
}

function hashOf(prevHash: string, seq: number, timeMs: number, kind: string, body: string): string {
  return createHash('sha256').update(`${prevHash}\n${seq}\n${timeMs}\n${kind}\n${body}`).digest('hex');
}

function open(path: string, durability: AuditDurability): Database.Database {
  try {
    if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
    const db = new Database(path);
    db.pragma('journal_mode = WAL');
    db.pragma(`synchronous = ${durability}`);
    db.exec(`CREATE TABLE IF NOT EXISTS audit (
      seq INTEGER PRIMARY KEY, time_ms INTEGER NOT NULL, kind TEXT NOT NULL, body TEXT NOT NULL,
      prev_hash TEXT NOT NULL, hash TEXT NOT NULL)`);
    return db;
  } catch (error) {
    throw new Error(`cannot open the audit database ${path}: ${(error as Error).message}`, { cause: error });
  }
}

export class AuditTrail {
  private readonly db: Database.Database;
  private readonly insert: Database.Statement;
  private readonly appendMany: (records: readonly { kind: string; body: unknown }[]) => void;
  private head: AuditHead;
  private pending: { kind: string; body: unknown }[] = [];

  constructor(readonly path: string, private readonly durability: AuditDurability = 'FULL') {
    this.db = open(path, durability);
    const last = this.db.prepare('SELECT seq, hash FROM audit ORDER BY seq DESC LIMIT 1').get() as AuditHead | undefined;
    this.head = last ?? { seq: 0, hash: GENESIS };
    this.insert = this.db.prepare('INSERT INTO audit VALUES (?, ?, ?, ?, ?, ?)');
    this.appendMany = this.db.transaction((records: readonly { kind: string; body: unknown }[]) => {
      let { seq, hash } = this.head;
      for (const r of records) {
        const timeMs = Date.now();
        const body = JSON.stringify(r.body);
        const next = hashOf(hash, ++seq, timeMs, r.kind, body);
        this.insert.run(seq, timeMs, r.kind, body, hash, next);
        hash = next;
      }
      this.head = { seq, hash };
    });
  }

  /** Queues a record; `flush` writes the queue in one transaction and moves the head file. */
  append(kind: string, body: unknown): void {
    this.pending.push({ kind, body });
  }

  flush(): void {
    if (this.pending.length === 0) return;
    const records = this.pending;
    this.pending = [];
    this.appendMany(records);
    if (this.path === ':memory:') return;
    this.writeHead();
  }

  /** Written to a temp name and renamed, so a reader never sees half a head; after the batch, so the head is never ahead of the disk under FULL. */
  private writeHead(): void {
    const temp = `${headPath(this.path)}.tmp`;
    const fd = openSync(temp, 'w');
    try {
      writeSync(fd, JSON.stringify(this.head));
      if (this.durability === 'FULL') fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    renameSync(temp, headPath(this.path));
  }

  /** The records of the given kinds since the last 'start' record (that one included): what the last run wrote. */
  lastRun(kinds: readonly string[]): { kind: string; body: unknown }[] {
    const rows = this.db.prepare(`SELECT kind, body FROM audit WHERE seq >= (SELECT COALESCE(MAX(seq), 0) FROM audit WHERE kind = 'start')
      AND kind IN (${kinds.map(() => '?').join(', ')}) ORDER BY seq`).all(...kinds) as { kind: string; body: string }[];
    return rows.map((r) => ({ kind: r.kind, body: JSON.parse(r.body) as unknown }));
  }

  get latest(): AuditHead {
    return this.head;
  }

  close(): void {
    this.flush();
    this.db.close();
  }
}

/** Walks the chain from the first record and compares its end with the head file. */
export function verifyAuditTrail(path: string): Verification {
  const db = new Database(path, { readonly: true, fileMustExist: true });
  try {
    let prev = GENESIS;
    let expectedSeq = 1;
    let records = 0;
    let last: AuditHead | undefined;
    for (const row of db.prepare('SELECT seq, time_ms AS timeMs, kind, body, prev_hash AS prevHash, hash FROM audit ORDER BY seq').iterate() as Iterable<AuditRecord>) {
      records++;
      const why =
        row.seq !== expectedSeq ? `sequence ${row.seq} where ${expectedSeq} was expected (a record is missing)`
        : row.prevHash !== prev ? `its link names ${row.prevHash.slice(0, 12)}… but the record before hashes to ${prev.slice(0, 12)}…`
        : hashOf(row.prevHash, row.seq, row.timeMs, row.kind, row.body) !== row.hash ? 'its content does not hash to its stored hash (it was changed)'
        : undefined;
      if (why) return { records, brokenAt: { seq: row.seq, why } };
      prev = row.hash;
      expectedSeq++;
      last = { seq: row.seq, hash: row.hash };
    }
    let file: AuditHead | undefined;
    try {
      file = JSON.parse(readFileSync(headPath(path), 'utf8')) as AuditHead;
    } catch {
      file = undefined;
    }
    if (file && (file.seq !== last?.seq || file.hash !== last?.hash)) return { records, headMismatch: { file, database: last } };
    return { records };
  } finally {
    db.close();
  }
}
