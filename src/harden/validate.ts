// A model's rewrite becomes a suggestion only when it is provably the same function, changed, well
// formed, of reasonable size, and (with analyzers) not worse than the original. PR content and
// model output are hostile: anything beyond the one function is rejected, never trimmed away.
import type { Finding } from '../analyze/types.js';
import type { FunctionInfo } from '../detect/types.js';
import { extractSnippetFunctions } from '../detect/functions.js';
import type { Language } from '../lang/languages.js';
import { describeSyntaxProblems, parseFunction } from '../parse/index.js';

export const REJECTION_REASONS = [
  'no-code-block',
  'syntax-error',
  'different-function',
  'extra-code',
  'unchanged',
  'too-large',
  'analyzer-worse',
  'alert-still-fires',
] as const;
export type RejectionReason = (typeof REJECTION_REASONS)[number];

export interface ValidationOk {
  ok: true;
  /** The candidate re-indented to sit where the original function was. */
  code: string;
  findings: Finding[];
}

export interface ValidationRejected {
  ok: false;
  reason: RejectionReason;
  detail: string;
}

export type ValidationResult = ValidationOk | ValidationRejected;

export interface ValidationInput {
  candidate: string;
  original: FunctionInfo;
  language: Language;
  path: string;
  /** The replacement may be at most this many times the original's lines, plus 20 (default 3). */
  maxGrowth?: number;
}

const reject = (reason: RejectionReason, detail: string): ValidationRejected => ({ ok: false, reason, detail });

function indentationOf(line: string): string {
  return /^[ \t]*/.exec(line)?.[0] ?? '';
}

/**
 * Models often return a method without its class indentation; put the original's indentation
 * back so the suggestion drops into place.
 */
export function matchIndentation(candidate: string, original: string): string {
  const target = indentationOf(original.split('\n')[0] ?? '');
  const lines = candidate.replace(/\r\n?/g, '\n').replace(/\n+$/, '').split('\n');
  const present = indentationOf(lines[0] ?? '');
  if (present === target) return lines.join('\n');
  return lines
    .map((line) => {
      if (line.trim() === '') return '';
      const stripped = line.startsWith(present) ? line.slice(present.length) : line.trimStart();
      return `${target}${stripped}`;
    })
    .join('\n');
}

const squash = (code: string) => code.replace(/\s+/g, '');

/** Lines of `code` outside [start, end] that hold anything but blank space or comments. */
function codeOutside(code: string, start: number, end: number, language: Language): string[] {
  // An #include is code: it would land in the middle of the file.
  const comment = language === 'python' || language === 'ruby' ? /^\s*(#.*)?$/ : /^\s*(\/\/.*|\/\*.*|\*.*)?$/;
  return code.split('\n').filter((line, index) => (index + 1 < start || index + 1 > end) && !comment.test(line));
}

/** Structural checks: everything but the analyzers. */
export async function validateCandidate(input: ValidationInput): Promise<ValidationResult> {
  const { original, language, path } = input;
  const code = matchIndentation(input.candidate, original.code);
  if (code.trim() === '') return reject('no-code-block', 'the reply holds no code');
  // parseFunction retries a lone method inside a class, as it sat in its file.
  const parsed = await parseFunction(code, language, { path });
  if (parsed.errors.length > 0) return reject('syntax-error', describeSyntaxProblems(parsed.errors));
  const functions = await extractSnippetFunctions(code, language, path);
  const outermost = functions.filter((fn) => !functions.some((other) => other !== fn && other.startLine <= fn.startLine && other.endLine >= fn.endLine));
  const same = outermost.filter((fn) => fn.name === original.name);
  if (same.length !== 1) {
    return reject('different-function', same.length === 0 ? `no function named ${original.name}` : `${same.length} functions named ${original.name}`);
  }
  const rewritten = same[0] as FunctionInfo;
  if (rewritten.parameters.join(',') !== original.parameters.join(',')) {
    return reject('different-function', `parameters changed from (${original.parameters.join(', ')}) to (${rewritten.parameters.join(', ')})`);
  }
  const extra = codeOutside(code, rewritten.startLine, rewritten.endLine, language);
  if (outermost.length > 1 || extra.length > 0) {
    return reject('extra-code', `the reply adds ${outermost.length > 1 ? 'other functions' : `code outside the function: ${extra[0]?.trim().slice(0, 60)}`}`);
  }
  // tree-sitter-python accepts a trailing `def f(x):` with no body; Python does not.
  if (squash(rewritten.code) === squash(rewritten.signature)) return reject('syntax-error', `${original.name} has no body`);
  if (squash(code) === squash(original.code)) return reject('unchanged', 'identical to the original apart from whitespace');
  const originalLines = original.code.split('\n').length;
  const limit = originalLines * (input.maxGrowth ?? 3) + 20;
  if (code.split('\n').length > limit) return reject('too-large', `${code.split('\n').length} lines where the original has ${originalLines} (limit ${limit})`);
  return { ok: true, code, findings: [] };
}
