// The resumable cache of model samples: one JSON line per sample, keyed by model, prompt hash and
// sample index, appended as soon as the model answers. An interrupted run starts again where it
// stopped; a rerun asks the model nothing it has already answered.
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { appendFile, mkdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { z } from 'zod';
import type { ChatMessage, CodeModel, GenerationOptions } from '../../model/types.js';

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

/** How many samples a request wants and how they are drawn; the cache key holds all but the count (stop sequences: the eval sends none). */
export interface CachedSampling {
  samples: number;
  temperature: number;
  topP: number;
  maxTokens: number;
}

/**
 * The model could not be asked (or its answer not stored), but the cache already held some of the
 * samples: they are still worth judging, as they were before the model failed. `cause` is the
 * model's (or the cache's) own error.
 */
export class UnfinishedSamplesError extends Error {
  override name = 'UnfinishedSamplesError';
  constructor(
    readonly cached: string[],
    override readonly cause: unknown,
  ) {
    super(cause instanceof Error ? cause.message : String(cause), { cause });
  }
}

/**
 * A code model that answers from the completion cache first: the samples the cache holds for the
 * request (by index) come from it, only the missing indexes are asked of the inner model, and its
 * answers are stored before they are returned. A partial answer fills the first missing indexes and
 * leaves the later ones for the next run. What it returns is every sample it has, in index order.
 */
export class CachedModel implements CodeModel {
  constructor(
    private readonly inner: CodeModel,
    private readonly cache: CompletionCache,
    /** The run's sampling settings, for options that leave them out. */
    private readonly sampling: CachedSampling,
  ) {}

  get name(): string {
    return this.inner.name;
  }

  chat(messages: ChatMessage[], options?: GenerationOptions): Promise<string[]> {
    return this.sample('chat', messages, (asked) => this.inner.chat(messages, asked), options);
  }

  complete(prompt: string, options?: GenerationOptions): Promise<string[]> {
    return this.sample('completion', prompt, (asked) => this.inner.complete(prompt, asked), options);
  }

  private async sample(style: 'chat' | 'completion', request: string | ChatMessage[], ask: Ask, options: GenerationOptions = {}): Promise<string[]> {
    const { samples, temperature, topP, maxTokens } = { ...this.sampling, ...definedOnly(options) };
    // The key the eval has always used, so caches written before this class still answer.
    const hash = promptHash({ style, request }, { temperature, topP, maxTokens });
    const texts: (string | undefined)[] = Array.from({ length: samples }, (_, index) => this.cache.get(this.inner.name, hash, index));
    const missing = texts.flatMap((text, index) => (text === undefined ? [index] : []));
    if (missing.length > 0) {
      try {
        const answered = await ask({ ...options, samples: missing.length, temperature, topP, maxTokens });
        const fresh = missing.slice(0, answered.length).map((index, i) => ({ index, text: answered[i] as string }));
        await this.cache.put(this.inner.name, hash, fresh);
        for (const { index, text } of fresh) texts[index] = text;
      } catch (error) {
        throw new UnfinishedSamplesError(present(texts), error);
      }
    }
    return present(texts);
  }
}

type Ask = (options: GenerationOptions) => Promise<string[]>;

function present(texts: readonly (string | undefined)[]): string[] {
  return texts.filter((text): text is string => text !== undefined);
}

/** The options a caller set (an explicit `undefined` would otherwise hide the run's setting). */
function definedOnly(options: GenerationOptions): GenerationOptions {
  return Object.fromEntries(Object.entries(options).filter(([, value]) => value !== undefined)) as GenerationOptions;
}
