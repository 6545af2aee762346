// The resumable cache of model samples: one JSON line per sample, keyed by model, prompt hash and
// sample index, appended as soon as the model answers. An interrupted run starts again where it
// stopped; a rerun asks the model nothing it has already answered.
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { appendFile, mkdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { z } from 'zod';

export const CACHE_FILE = 'completions.jsonl';

const lineSchema = z.object({ model: z.string(), prompt: z.string(), index: z.number().int().min(0), text: z.string() });

/**
 * Hash of everything that shapes a sample besides its index: the request (prompt text or chat
 * messages) and the sampling settings.
 */
export function promptHash(request: unknown, sampling: { temperature: number; topP: number; maxTokens: number }): string {
  return createHash('sha256').update(JSON.stringify({ request, sampling })).digest('hex');
}

export class CompletionCache {
  private readonly samples = new Map<string, string>();
  private constructor(private readonly file: string | undefined) {}

  /** Opens (creating nothing yet) the cache in `dir`; `undefined` keeps samples in memory only. A torn last line is ignored. */
  static async open(dir: string | undefined): Promise<CompletionCache> {
    const cache = new CompletionCache(dir === undefined ? undefined : join(dir, CACHE_FILE));
    if (cache.file && existsSync(cache.file)) {
      for (const line of (await readFile(cache.file, 'utf8')).split('\n')) {
        if (line.trim() === '') continue;
        let parsed;
        try {
          parsed = lineSchema.safeParse(JSON.parse(line));
        } catch {
          continue;
        }
        if (parsed.success) cache.samples.set(key(parsed.data.model, parsed.data.prompt, parsed.data.index), parsed.data.text);
      }
    }
    return cache;
  }

  get size(): number {
    return this.samples.size;
  }

  get(model: string, prompt: string, index: number): string | undefined {
    return this.samples.get(key(model, prompt, index));
  }

  /** Records samples by index and appends them to the file in one write. */
  async put(model: string, prompt: string, samples: readonly { index: number; text: string }[]): Promise<void> {
    const lines = samples.map(({ index, text }) => {
      this.samples.set(key(model, prompt, index), text);
      return JSON.stringify({ model, prompt, index, text });
    });
    if (!this.file || lines.length === 0) return;
    await mkdir(join(this.file, '..'), { recursive: true });
    await appendFile(this.file, `${lines.join('\n')}\n`);
  }
}

function key(model: string, prompt: string, index: number): string {
  return `${model}\u0000${prompt}\u0000${index}`;
}
