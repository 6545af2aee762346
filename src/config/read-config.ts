// Reading `.github/seccoder.yml` for one event: GitHub failing to answer is the run's failure; a
// file that is not YAML, or not a valid config, is the repository's to fix and comes back as
// problems naming the key.
import { parseSecCoderConfig, TOP_LEVEL_KEY, type ConfigParseResult } from './seccoder-config.js';
import { httpStatus } from '../errors/http-status.js';

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
