// Deterministic synthetic corpus for the scale benchmark: synthetic entry n is a perturbed copy
// of real seed entry n mod seeds.length, perturbed by a PRNG seeded from n alone. So any entry
// can be regenerated on its own, the index, held-out queries and incremental additions use
// disjoint ranges of n, and every run (on every machine) produces the same corpus.

import { seededRandom } from '../src/embed/lsa/random.js';
import { splitIdentifier } from '../src/text/code-tokens.js';

type Rng = () => number;

export interface SeedEntry {
  code: string;
  language: string;
}

const CORPUS_SEED = 0x5eccde;

// How hard each copy is perturbed. Strong enough that copies of one seed entry are distinct
// points (identical copies would make top-10 ill-defined through ties), yet they still cluster
// around their seed: the realistic "many variants of one idiom" shape of a big corpus.
const RENAME_RATE = 0.4;
const NUMBER_RATE = 0.5;
const STRING_RATE = 0.3;
const MAX_LINE_EDITS = 2;
/** Chance of a line borrowed from another entry of the same language (shared idioms). */
const BORROW_RATE = 0.5;
/** Below this many lines no line is dropped: little would be left to match on. */
const MIN_LINES_TO_DROP = 5;

const IDENTIFIER = /[A-Za-z_][A-Za-z0-9_]*/g;
const NUMBER = /\b\d+\b/g;
/** A quote followed by what usually follows a closing quote; a heuristic, good enough here. */
const STRING_END = /(["'])(?=[;,)\]\s])/g;

// Renaming these would turn code into nonsense (and hide all keywords from the embedder).
const KEYWORDS = new Set(
  (
    'if else elif for while do return break continue switch case default goto try catch except finally raise throw ' +
    'def class struct union enum typedef static const extern inline void int char long short unsigned signed float ' +
    'double bool boolean true false True False None null nil NULL undefined this self super new delete sizeof import ' +
    'from as package func var let function async await yield lambda with in is not and or end begin module require ' +
    'public private protected final abstract interface extends implements go defer chan map range type string byte ' +
    'unless until then include define ifdef ifndef endif pass global nonlocal assert print puts'
  ).split(' '),
);

export class SyntheticCorpus {
  /** Identifier words for renames and string edits (see `wordPool`). */
  private readonly pool: string[];
  /** Non-trivial lines of all seeds per language, for borrowed lines. */
  private readonly linesByLanguage = new Map<string, string[]>();

  constructor(private readonly seeds: readonly SeedEntry[]) {
    if (seeds.length === 0) throw new RangeError('no seed entries to copy');
    this.pool = wordPool(seeds.map((seed) => seed.code));
    for (const { code, language } of seeds) {
      const lines = this.linesByLanguage.get(language) ?? [];
      lines.push(...code.split('\n').filter((line) => line.trim().length >= 10));
      this.linesByLanguage.set(language, lines);
    }
  }

  /** Synthetic entry `n`: a perturbed copy of seed `n mod seeds.length`. */
  code(n: number): string {
    const seed = this.seeds[n % this.seeds.length]!;
    const rng = entryRng(n);
    const renamed = renameIdentifiers(seed.code, rng, this.pool);
    const literals = editStrings(editNumbers(renamed, rng), rng, this.pool);
    return editLines(literals, rng, this.linesByLanguage.get(seed.language) ?? []);
  }
}

/** The generator behind synthetic entry `n`, independent of every other entry's. */
function entryRng(n: number): Rng {
  // Multiplying by an odd constant scatters consecutive n across mulberry32's seed space.
  return seededRandom(Math.imul(n + 1, 0x9e3779b1) ^ CORPUS_SEED);
}

/**
 * Words of the seed corpus's identifiers common enough to be in the embedder's vocabulary, so
 * renamed code moves within the embedding space instead of merely losing tokens.
 */
function wordPool(codes: readonly string[]): string[] {
  const counts = new Map<string, number>();
  for (const code of codes) {
    for (const identifier of code.match(IDENTIFIER) ?? []) {
      for (const word of splitIdentifier(identifier)) counts.set(word, (counts.get(word) ?? 0) + 1);
    }
  }
  return [...counts]
    .filter(([word, count]) => count >= 5 && word.length >= 3 && !KEYWORDS.has(word))
    .map(([word]) => word)
    .sort();
}

function pick<T>(items: readonly T[], rng: Rng): T | undefined {
  return items[Math.floor(rng() * items.length)];
}

function capitalize(word: string): string {
  return word.charAt(0).toUpperCase() + word.slice(1);
}

/**
 * Renames a random subset of identifiers consistently across the copy, as a refactoring would:
 * a word prefixed or suffixed (`buf` → `buf_header`, `headerBuf`) or the name replaced. At least
 * one is renamed, so even tiny functions don't come out identical to their seed.
 */
function renameIdentifiers(code: string, rng: Rng, pool: readonly string[]): string {
  // Distinct identifiers in order of first appearance, so the outcome is deterministic.
  const candidates = [...new Set(code.match(IDENTIFIER) ?? [])].filter((id) => id.length >= 2 && !KEYWORDS.has(id));
  const chosen = candidates.filter(() => rng() < RENAME_RATE);
  const forced = pick(candidates, rng);
  if (chosen.length === 0 && forced !== undefined) chosen.push(forced);
  const renames = new Map(chosen.map((identifier) => [identifier, renamed(identifier, rng, pool)]));
  return code.replace(IDENTIFIER, (identifier) => renames.get(identifier) ?? identifier);
}

function renamed(identifier: string, rng: Rng, pool: readonly string[]): string {
  const word = pick(pool, rng) ?? 'tmp';
  const style = rng();
  const snake = identifier.includes('_') || identifier === identifier.toLowerCase();
  if (style < 0.45) return snake ? `${identifier}_${word}` : `${identifier}${capitalize(word)}`;
  if (style < 0.9) return snake ? `${word}_${identifier}` : `${word}${capitalize(identifier)}`;
  return `${word}_${pick(pool, rng) ?? 'value'}`;
}

function editNumbers(code: string, rng: Rng): string {
  return code.replace(NUMBER, (number) => (rng() < NUMBER_RATE ? String(2 + Math.floor(rng() * 9998)) : number));
}

/** Appends a word to some string literals: messages, SQL and format strings change a little. */
function editStrings(code: string, rng: Rng, pool: readonly string[]): string {
  return code.replace(STRING_END, (quote) => (rng() < STRING_RATE ? ` ${pick(pool, rng) ?? 'text'}${quote}` : quote));
}

/**
 * Drops and duplicates a line or two (statements added or removed between versions), and may
 * insert a line borrowed from another entry, which also bridges otherwise isolated clusters of
 * copies the way shared idioms do in a real corpus.
 */
function editLines(code: string, rng: Rng, borrowable: readonly string[]): string {
  const lines = code.split('\n');
  const edits = () => 1 + Math.floor(rng() * MAX_LINE_EDITS);
  if (lines.length >= MIN_LINES_TO_DROP) {
    // Never the first line: it holds the signature, the most telling part of a function.
    for (let i = edits(); i > 0; i--) lines.splice(1 + Math.floor(rng() * (lines.length - 1)), 1);
  }
  for (let i = edits(); i > 0; i--) {
    const at = Math.floor(rng() * lines.length);
    lines.splice(at, 0, lines[at] ?? '');
  }
  const borrowed = rng() < BORROW_RATE ? pick(borrowable, rng) : undefined;
  if (borrowed !== undefined) lines.splice(1 + Math.floor(rng() * lines.length), 0, borrowed);
  return lines.join('\n');
}
