// The token budget: a deterministic estimate of prompt size, and the two searches that decide
// what goes in. Priorities, highest first: the target function (never cut), the demonstrations
// (best first, whole or not at all), the file context (cut from the end).

/** Default prompt budget in estimated tokens: fits an 8k-context model with room for the answer. */
export const DEFAULT_MAX_TOKENS = 6000;
/** Default number of demonstrations: the paper's setting (one). */
export const DEFAULT_MAX_DEMONSTRATIONS = 1;

/** A word, number or ASCII punctuation run (each with the space before it), a whitespace run, any other character. */
const PIECE = / ?[A-Za-z]+| ?[0-9]+| ?[\x21-\x2f\x3a-\x40\x5b-\x60\x7b-\x7e]+|\s+|[^]/gu;

/**
 * Estimated tokens of `text`. No tokenizer can be downloaded and models differ, so this counts
 * the pieces a BPE tokenizer typically makes of code: a word one per 6 letters, a number one per 3
 * digits, a punctuation run one per 2 characters (a single space before any of these is free, as
 * BPE merges it in), a whitespace run (indentation, line break) one, a non-ASCII character one.
 * Calibrated on the seed corpus (979 functions, 7 languages) against cl100k_base: 1.10-1.25x its
 * count on average per language (1.03-1.42x from the 5th to the 95th percentile of functions), and
 * 1.17x on the templates' prose. It leans high on purpose: code models' tokenizers are mostly less
 * efficient than cl100k, and over-counting only costs some context, while under-counting overflows
 * the model's window.
 */
export function estimateTokens(text: string): number {
  let tokens = 0;
  for (const piece of text.match(PIECE) ?? []) {
    const body = piece.length > 1 && piece.startsWith(' ') ? piece.slice(1) : piece;
    const first = body.charCodeAt(0);
    if (/[A-Za-z]/.test(body[0] as string)) tokens += Math.ceil(body.length / 6);
    else if (/[0-9]/.test(body[0] as string)) tokens += Math.ceil(body.length / 3);
    else if (first > 0x20 && first < 0x7f) tokens += Math.ceil(body.length / 2);
    else tokens += 1;
  }
  return tokens;
}

/** Per-message framing (role markers, separators) that chat templates add around each content. */
const MESSAGE_OVERHEAD = 4;

/** Estimated tokens of a chat prompt: its contents plus each message's framing. */
export function estimateChatTokens(messages: readonly { content: string }[]): number {
  return messages.reduce((sum, message) => sum + estimateTokens(message.content) + MESSAGE_OVERHEAD, 0);
}

export interface ResolvedBudget {
  maxTokens: number;
  maxDemonstrations: number;
}

/** Fills in defaults; negative or fractional limits are floored to whole, non-negative numbers. */
export function resolveBudget(budget: { maxTokens?: number; maxDemonstrations?: number } = {}): ResolvedBudget {
  const whole = (value: number | undefined, fallback: number) => (value === undefined || Number.isNaN(value) ? fallback : Math.max(0, Math.floor(value)));
  return {
    maxTokens: whole(budget.maxTokens, DEFAULT_MAX_TOKENS),
    maxDemonstrations: whole(budget.maxDemonstrations, DEFAULT_MAX_DEMONSTRATIONS),
  };
}

/**
 * Demonstrations to use: best first, up to `max`, each kept only if the prompt with it still
 * `fits` (the caller measures with the file context cut to nothing, so context is given up before
 * any demonstration is). One that does not fit is skipped, not cut, and a smaller, lower-ranked one
 * may still take its place: the paper finds even a random demonstration better than none.
 */
export function fitDemonstrations<D>(ranked: readonly D[], max: number, fits: (chosen: D[]) => boolean): D[] {
  const chosen: D[] = [];
  for (const candidate of ranked) {
    if (chosen.length >= max) break;
    if (fits([...chosen, candidate])) chosen.push(candidate);
  }
  return chosen;
}

/**
 * The largest number of leading lines, among `cuts` (ascending), for which `fits` holds; 0 when
 * none does. Prompt size grows with the lines kept, so a binary search finds it in log2 renders.
 */
export function largestFitting(cuts: readonly number[], fits: (keep: number) => boolean): number {
  let lo = 0;
  let hi = cuts.length - 1;
  let best = 0;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const keep = cuts[mid] as number;
    if (fits(keep)) {
      best = keep;
      lo = mid + 1;
    } else {
      hi = mid - 1;
    }
  }
  return best;
}
