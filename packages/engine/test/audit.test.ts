import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AuditTrail, verifyAuditTrail } from '../src/audit/audit-trail.js';
import { validateConfig } from '../src/config/load.js';

const CLI = fileURLToPath(new URL('../dist/cli/main.js', import.meta.url));

describe('the audit trail', () => {
  let dir: string;
  let path: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'cwts-audit-'));
    path = join(dir, 'audit.sqlite');
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  function write(n: number): void {
    const trail = new AuditTrail(path);
    for (let i = 0; i < n; i++) trail.append(i % 2 ? 'report' : 'risk', { i, text: `record ${i}` });
    trail.close();
  }

  it('chains records across restarts, and verifies', () => {
    write(10);
    write(5); // a second run continues the chain
    expect(verifyAuditTrail(path)).toEqual({ records: 15 });
    const cli = spawnSync(process.execPath, [CLI, 'audit', 'verify', '--database', path], { encoding: 'utf8' });
    expect([cli.status, cli.stdout.trim()]).toEqual([0, `${path}: 15 records, every link holds, the head matches`]);
  });

  it('finds a changed record, a removed one, and a lost tail', () => {
    write(10);
    const db = new Database(path);
    db.prepare("UPDATE audit SET body = '{\"i\":4,\"text\":\"forged\"}' WHERE seq = 5").run();
    db.close();
    expect(verifyAuditTrail(path).brokenAt).toEqual({ seq: 5, why: 'its content does not hash to its stored hash (it was changed)' });
    const cli = spawnSync(process.execPath, [CLI, 'audit', 'verify', '--database', path], { encoding: 'utf8' });
    expect(cli.status).toBe(1);
    expect(cli.stdout).toMatch(/BROKEN at record 5 of 5/);

    rmSync(dir, { recursive: true, force: true });
    dir = mkdtempSync(join(tmpdir(), 'cwts-audit-'));
    path = join(dir, 'audit.sqlite');
    write(10);
    const gap = new Database(path);
    gap.prepare('DELETE FROM audit WHERE seq = 3').run();
    gap.close();
    expect(verifyAuditTrail(path).brokenAt).toMatchObject({ seq: 4, why: expect.stringMatching(/sequence 4 where 3 was expected/) });

    rmSync(dir, { recursive: true, force: true });
    dir = mkdtempSync(join(tmpdir(), 'cwts-audit-'));
    path = join(dir, 'audit.sqlite');
    write(10);
    const tail = new Database(path);
    tail.prepare('DELETE FROM audit WHERE seq > 7').run(); // a self-consistent chain, shorter than the head says
    tail.close();
    expect(verifyAuditTrail(path)).toMatchObject({ records: 7, headMismatch: { file: { seq: 10 }, database: { seq: 7 } } });
  });

  it('is fsynced by default, NORMAL on request, and refuses any other setting', () => {
    expect(validateConfig({}).audit.durability).toBe('FULL');
    expect(validateConfig({ audit: { durability: 'NORMAL' } }).audit.durability).toBe('NORMAL');
    expect(() => validateConfig({ audit: { durability: 'OFF' } })).toThrow(/audit\.durability/);
    const trail = new AuditTrail(path, 'NORMAL');
    trail.append('kill', { engaged: true });
    trail.close();
    expect(verifyAuditTrail(path)).toEqual({ records: 1 });
  });
});
