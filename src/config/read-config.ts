// From a repository's `.github/seccoder.yml` to a config or the problems with it. GitHub failing to
// answer is the run's failure; a file that is not YAML, or not a valid config, is the repository's
// to fix and comes back as problems naming the key.
import { httpStatus } from '../errors/http-status.js';
import { configProblemsOf, TOP_LEVEL_KEY, type ConfigProblem } from './problems.js';
import { secCoderConfigSchema, type SecCoderConfig } from './schema.js';

export type ConfigParseResult = { ok: true; config: SecCoderConfig } | { ok: false; problems: ConfigProblem[] };

/**
 * Validates the parsed `.github/seccoder.yml` (`null`/`undefined`: no file, all defaults). Never
 * throws: problems name the key as a dotted path so the check run can say what to fix. A
 * top-level `_extends` (probot's config inheritance, normally consumed by `context.config`) is
 * ignored.
 */
export function parseSecCoderConfig(raw: unknown): ConfigParseResult {
  let input = raw ?? {};
  if (typeof input === 'object' && !Array.isArray(input) && '_extends' in input) {
    const { _extends: _ignored, ...rest } = input as Record<string, unknown>;
    input = rest;
  }
  const result = secCoderConfigSchema.safeParse(input, { reportInput: true });
  if (result.success) return { ok: true, config: result.data };
  return { ok: false, problems: configProblemsOf(result.error.issues) };
}

/** `read` returns the parsed YAML (null or undefined: no file), e.g. `() => context.config('seccoder.yml')`. */
export async function readRepositoryConfig(read: () => Promise<unknown>): Promise<ConfigParseResult> {
  let raw: unknown;
  try {
    raw = await read();
  } catch (error) {
    if (httpStatus(error) !== undefined) throw error;
    return { ok: false, problems: [{ key: TOP_LEVEL_KEY, message: `could not be read as YAML: ${(error as Error).message.split('\n')[0] ?? ''}` }] };
  }
  return parseSecCoderConfig(raw);
}
