// Turns a user-given secure function into a corpus entry, or says exactly why it cannot be one:
// unknown language, syntax errors, too long, not exactly one function, or already in the corpus.
// (Whether it is secure is the gate's to say: src/analyze/secure-gate.ts.)
import { normalizeCwe } from '../cwe/id.js';
import { extractSnippetFunctions } from '../detect/functions.js';
import { qualifiedName } from '../detect/qualified-name.js';
import type { FunctionInfo } from '../detect/types.js';
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
  /**
   * Require the code to be exactly one function (or method) and nothing else but comments: not
   * zero, not two, not a class or statements around it (`seccoder corpus add`).
   */
  oneFunction?: boolean;
  now?: Date;
}

/** Whole-line comments, which may stand outside the function (a licence header, a note). */
function isCommentLine(line: string, language: Language): boolean {
  const text = line.trim();
  if (language === 'python' || language === 'ruby') return text.startsWith('#');
  return /^(\/\/|\/\*|\*)/.test(text);
}

/** The functions not nested in another one, each span once. */
function outermost(functions: readonly FunctionInfo[]): FunctionInfo[] {
  const spans = new Set<string>();
  return functions.filter((fn) => {
    const inside = functions.some(
      (other) => other.startLine <= fn.startLine && other.endLine >= fn.endLine && other.endLine - other.startLine > fn.endLine - fn.startLine,
    );
    const span = `${fn.startLine}-${fn.endLine}`;
    if (inside || spans.has(span)) return false;
    spans.add(span);
    return true;
  });
}

/** Why `code` is not exactly one function, or undefined when it is. */
async function oneFunctionProblem(code: string, language: Language, path: string): Promise<string | undefined> {
  const functions = outermost(await extractSnippetFunctions(code, language, path));
  const rule = 'a corpus entry is exactly one function';
  if (functions.length === 0) return `holds no ${language} function (${rule}; pass the function itself)`;
  if (functions.length > 1) {
    const names = functions.map((fn) => `${qualifiedName(fn)} (line ${fn.startLine})`).join(', ');
    return `holds ${functions.length} functions: ${names} (${rule}; put each in its own file)`;
  }
  const only = functions[0] as FunctionInfo;
  const lines = code.split('\n');
  const outside = lines.findIndex(
    (line, index) => (index + 1 < only.startLine || index + 1 > only.endLine) && line.trim() !== '' && !isCommentLine(line, language),
  );
  if (outside !== -1) {
    const text = (lines[outside] ?? '').trim();
    return `line ${outside + 1} (${text.length > 40 ? `${text.slice(0, 37)}...` : text}) is outside the function ${qualifiedName(only)} (${rule}; remove what is around it)`;
  }
  return undefined;
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
  if (input.oneFunction) {
    const problem = await oneFunctionProblem(code, language, input.path ?? input.label);
    if (problem) throw new EntryRejectedError(input.label, problem);
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
