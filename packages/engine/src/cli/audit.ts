/** `cwts audit verify`: walks the audit trail's hash chain and says where it first breaks. */
import { existsSync } from 'node:fs';
import { verifyAuditTrail } from '../audit/audit-trail.js';
import { CliError, helpText, parseOptions, type Command, type OptionSpec } from './command.js';

const OPTIONS: Readonly<Record<string, OptionSpec>> = {
  database: { type: 'string', help: 'the audit database (audit.database in the engine config)', default: 'cwts-audit.sqlite', placeholder: 'FILE' },
  json: { type: 'boolean', help: 'print the result as JSON' },
};

const DESCRIPTION = 'Check every link of the audit trail (each record hashes the one before), and the head file beside the database.';

export const audit: Command = {
  name: 'audit',
  summary: 'verify the audit trail: the first broken link, or a lost tail',
  async run(args) {
    const [action, ...rest] = args;
    const values = parseOptions(rest, OPTIONS);
    if (action === '--help' || action === '-h' || values.help) {
      console.log(helpText('audit verify', DESCRIPTION, OPTIONS));
      return 0;
    }
    if (action !== 'verify') throw new CliError(`say 'verify', got ${JSON.stringify(action ?? '')}`);
    const path = String(values.database);
    if (!existsSync(path)) throw new CliError(`no audit database ${path}: pass --database, the engine config's audit.database`, 1);
    const result = verifyAuditTrail(path);
    if (values.json) console.log(JSON.stringify(result));
    else if (result.brokenAt) console.log(`${path}: BROKEN at record ${result.brokenAt.seq} of ${result.records}: ${result.brokenAt.why}`);
    else if (result.headMismatch) {
      const { file, database } = result.headMismatch;
      console.log(`${path}: the chain holds, but its end (record ${database?.seq ?? 0}) is not the head written beside it (record ${file.seq}): records were lost or replaced`);
    } else console.log(`${path}: ${result.records} records, every link holds, the head matches`);
    return result.brokenAt || result.headMismatch ? 1 : 0;
  },
};
