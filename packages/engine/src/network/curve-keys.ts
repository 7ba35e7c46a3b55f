/**
 * CURVE key pairs in ZeroMQ's certificate format (the one CZMQ writes and pyzmq's
 * `zmq.auth.load_certificate` reads): `<name>.key` holds the public key, to hand out;
 * `<name>.key_secret` both keys, mode 0600, to keep. `cwts keys generate` writes them; the
 * engine loads its own secret file and a directory of the clients' public files.
 */
import { chmodSync, existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { curveKeyPair } from 'zeromq';

export interface CurveKeyPair {
  readonly publicKey: string;
  readonly secretKey: string;
}

export class CurveKeyError extends Error {}

const Z85_KEY = /^[0-9a-zA-Z.\-:+=^!/*?&<>()[\]{}@%$#]{40}$/;

function certificate(keys: { publicKey: string; secretKey?: string }): string {
  const lines = [`#   ZeroMQ CURVE ${keys.secretKey ? '**secret** ' : ''}certificate, written by cwts keys generate`, 'metadata', 'curve', `    public-key = "${keys.publicKey}"`];
  if (keys.secretKey) lines.push(`    secret-key = "${keys.secretKey}"`);
  return `${lines.join('\n')}\n`;
}

/** Writes `<dir>/<name>.key` and `<dir>/<name>.key_secret`; refuses to overwrite a key. */
export function generateKeyPair(dir: string, name: string): { publicFile: string; secretFile: string; publicKey: string } {
  if (!/^[A-Za-z0-9_.-]+$/.test(name)) throw new CurveKeyError(`a key name is letters, digits, '_', '.' and '-'; got ${JSON.stringify(name)}`);
  const publicFile = join(dir, `${name}.key`);
  const secretFile = join(dir, `${name}.key_secret`);
  for (const file of [publicFile, secretFile]) if (existsSync(file)) throw new CurveKeyError(`${file} exists; remove it first or choose another name`);
  const keys = curveKeyPair();
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  writeFileSync(secretFile, certificate(keys), { mode: 0o600 });
  chmodSync(secretFile, 0o600);
  writeFileSync(publicFile, certificate({ publicKey: keys.publicKey }), { mode: 0o644 });
  return { publicFile, secretFile, publicKey: keys.publicKey };
}

function field(text: string, name: string, file: string): string | undefined {
  const match = new RegExp(`^\\s*${name}\\s*=\\s*"([^"]*)"\\s*$`, 'm').exec(text);
  if (!match) return undefined;
  if (!Z85_KEY.test(match[1]!)) throw new CurveKeyError(`${file}: ${name} is not a 40-character Z85 key`);
  return match[1];
}

function read(file: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch (error) {
    throw new CurveKeyError(`cannot read the key file ${file}: ${(error as Error).message}`);
  }
}

/** The public key of a certificate file (public or secret). */
export function readPublicKey(file: string): string {
  const key = field(read(file), 'public-key', file);
  if (!key) throw new CurveKeyError(`${file} holds no public-key = "..." line: is it a certificate from cwts keys generate?`);
  return key;
}

/** Both keys of a `.key_secret` file. */
export function readKeyPair(file: string): CurveKeyPair {
  const text = read(file);
  const secretKey = field(text, 'secret-key', file);
  if (!secretKey) throw new CurveKeyError(`${file} holds no secret-key: use the .key_secret file, not the public .key`);
  return { publicKey: readPublicKey(file), secretKey };
}

/** Every client's public key in `dir` (its `*.key` files): the peers the engine lets in. */
export function readAuthorizedKeys(dir: string): Set<string> {
  let names: string[];
  try {
    names = readdirSync(dir).filter((n) => n.endsWith('.key'));
  } catch (error) {
    throw new CurveKeyError(`cannot read the authorized keys directory ${dir}: ${(error as Error).message}`);
  }
  return new Set(names.map((n) => readPublicKey(join(dir, n))));
}
