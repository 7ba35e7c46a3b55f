/** Reads and validates the engine config; every failure names the file, the field and why. */
import { readFileSync } from 'node:fs';
import { dirname, extname, isAbsolute, resolve } from 'node:path';
import { parse as parseYaml } from 'yaml';
import type { z } from 'zod';
import { engineConfigSchema, type EngineConfig } from './schema.js';

export class ConfigError extends Error {
  override name = 'ConfigError';
  constructor(message: string, readonly problems: readonly string[] = []) {
    super(problems.length ? `${message}\n${problems.map((p) => `  - ${p}`).join('\n')}` : message);
  }
}

/** `feeds[0].seed` from zod's `['feeds', 0, 'seed']`. */
function pathOf(path: readonly PropertyKey[]): string {
  return path.reduce<string>((acc, key) => (typeof key === 'number' ? `${acc}[${key}]` : acc ? `${acc}.${String(key)}` : String(key)), '') || '(top level)';
}

function describe(issue: z.core.$ZodIssue): string {
  const keys = 'keys' in issue && Array.isArray(issue.keys) ? ` ${issue.keys.join(', ')}` : '';
  return `${pathOf(issue.path)}: ${issue.message}${keys && !issue.message.includes(keys.trim()) ? keys : ''}`;
}

/** Validates an already parsed object (from a file, or given by a Node caller). */
export function validateConfig(input: unknown, source = 'config'): EngineConfig {
  const result = engineConfigSchema.safeParse(input ?? {});
  if (!result.success) throw new ConfigError(`${source} is invalid:`, result.error.issues.map(describe));
  return result.data;
}

export function loadConfig(path: string): EngineConfig {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw new ConfigError(`cannot read config file ${path}: ${(error as Error).message}`);
  }
  let parsed: unknown;
  try {
    parsed = extname(path) === '.json' ? JSON.parse(text) : parseYaml(text);
  } catch (error) {
    throw new ConfigError(`config file ${path} is not valid ${extname(path) === '.json' ? 'JSON' : 'YAML'}: ${(error as Error).message}`);
  }
  return relativeTo(dirname(resolve(path)), validateConfig(parsed, `config file ${path}`));
}

/** Paths in a config file are relative to the file, not to wherever the engine starts. */
function relativeTo(dir: string, config: EngineConfig): EngineConfig {
  const at = (path: string): string => (path === ':memory:' || isAbsolute(path) ? path : resolve(dir, path));
  return {
    ...config,
    candles: { ...config.candles, database: at(config.candles.database) },
    execution: { ...config.execution, database: at(config.execution.database) },
    audit: { ...config.audit, database: at(config.audit.database) },
    modes: { ...config.modes, stateFile: at(config.modes.stateFile) },
    feeds: config.feeds.map((feed) => (feed.type === 'replay' ? { ...feed, path: at(feed.path) } : feed)),
    ...(config.record ? { record: { path: at(config.record.path) } } : {}),
    ...(config.model ? { model: { ...config.model, path: at(config.model.path) } } : {}),
    ...(config.network?.curve
      ? { network: { ...config.network, curve: { secretKeyFile: at(config.network.curve.secretKeyFile), authorizedKeysDir: at(config.network.curve.authorizedKeysDir) } } }
      : {}),
  };
}
