// Turns a user-given secure function into a corpus entry, or says exactly why it cannot be one:
// unknown language, syntax errors, too long, or already in the corpus.
import { normalizeCwe } from '../cwe/id.js';
import { languageFromPath, parseLanguage, UnknownLanguageError, type Language } from '../lang/languages.js';
import { describeSyntaxProblems, parseFunction } from '../parse/index.js';
import { codeHash, normalizeCode, type CorpusEntry, type EntrySource, type Origin } from './entry.js';
import { EntryRejectedError } from './errors.js';

/** Default cap on an entry's length, the same as the seed corpus's. */
export const DEFAULT_MAX_ENTRY_CHARS = 4000;

export interface EntryInput {
  code: string;
  /** Names the input in error messages; its extension gives the language when none is given. */
  label: string;
  /** Path of the function's file, when it is known; its extension gives the language. */
  path?: string;
  language?: string;
  cwe?: readonly string[];
  source?: EntrySource;
  origin?: Origin;
  maxChars?: number;
  /** Accept code with syntax errors (macro-heavy C that tree-sitter misreads). */
  allowSyntaxErrors?: boolean;
  now?: Date;
}

function resolveLanguage(input: EntryInput): Language {
  if (input.language) {
    try {
      return parseLanguage(input.language);
    } catch (error) {
      throw new EntryRejectedError(input.label, (error as UnknownLanguageError).message);
    }
  }
  const detected = languageFromPath(input.path ?? input.label);
  if (!detected) throw new EntryRejectedError(input.label, 'cannot tell the language from the file name; pass --language');
  return detected;
}

export async function prepareEntry(input: EntryInput): Promise<CorpusEntry> {
  const language = resolveLanguage(input);
  const code = normalizeCode(input.code);
  if (code.trim() === '') throw new EntryRejectedError(input.label, 'the code is empty');
  const maxChars = input.maxChars ?? DEFAULT_MAX_ENTRY_CHARS;
  if (code.length > maxChars) {
    throw new EntryRejectedError(input.label, `${code.length} characters is over the cap of ${maxChars}; pass a single function or raise --max-chars`);
  }
  const parsed = await parseFunction(code, language, { path: input.path ?? input.label });
  if (parsed.errors.length > 0 && !input.allowSyntaxErrors) {
    throw new EntryRejectedError(input.label, `does not parse as ${language}: ${describeSyntaxProblems(parsed.errors)}`);
  }
  let cwe: string[];
  try {
    cwe = [...new Set((input.cwe ?? []).map(normalizeCwe))];
  } catch (error) {
    throw new EntryRejectedError(input.label, (error as Error).message);
  }
  const sha256 = codeHash(code);
  const origin = input.origin ?? 'manual';
  return {
    id: `${origin}-${sha256.slice(0, 16)}`,
    language,
    code,
    cwe,
    source: input.source ?? {},
    origin,
    addedAt: (input.now ?? new Date()).toISOString(),
    sha256,
  };
}
