// A model's rewrite becomes a suggestion only when it is provably the same function, changed, well
// formed, of reasonable size, and (with analyzers) not worse than the original. PR content and
// model output are hostile: the reply is read on its syntax tree, its frame (name, parameters,
// decorators, modifiers, return type) must be the original's, and anything beyond the one function
// and the imports before it is rejected, never trimmed away. Imports are reported, never applied.
import type { Finding } from '../analyze/types.js';
import type { FunctionInfo } from '../detect/types.js';
import type { Language } from '../lang/languages.js';
import { grammarFor } from '../parse/index.js';
import { frameChange } from './frame-diff.js';
import { readReply, type ReplyFunction, type ReplyVerdict, type Span } from './reply-shape.js';

export const REJECTION_REASONS = [
  'no-code-block',
  'syntax-error',
  'different-function',
  'frame-changed',
  'extra-code',
  'unchanged',
  'too-large',
  'analyzer-worse',
  'alert-still-fires',
] as const;
export type RejectionReason = (typeof REJECTION_REASONS)[number];

export interface ValidationOk {
  ok: true;
  /** The candidate re-indented to sit where the original function was, its imports taken out. */
  code: string;
  findings: Finding[];
  /** Import statements the reply put before the function, for the reader to add at the top of the file. */
  imports: string[];
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
const lineCount = (code: string) => code.split('\n').length;
const lineStart = (code: string, index: number) => (index <= 0 ? 0 : code.lastIndexOf('\n', index - 1) + 1);

/** Takes statements out of the code, with their lines when nothing else is on them. */
function withoutSpans(code: string, spans: readonly Span[]): string {
  let rest = code;
  for (const span of [...spans].reverse()) {
    const from = lineStart(rest, span.start);
    const start = rest.slice(from, span.start).trim() === '' ? from : span.start;
    // An #include's node already ends with its newline.
    const newline = rest.indexOf('\n', span.end);
    const to = rest[span.end - 1] === '\n' ? span.end : newline === -1 ? rest.length : newline + 1;
    const end = rest.slice(span.end, to).trim() === '' ? to : span.end;
    rest = rest.slice(0, start) + rest.slice(end);
  }
  // The blank lines that separated the imports from the function.
  return spans.length > 0 ? rest.replace(/^\s*\n/, '') : rest;
}

/** The original's decorator lines, verbatim, when they stand on lines of their own above its header. */
function decoratorLines(code: string, fn: ReplyFunction): string | undefined {
  const [first] = fn.decorators;
  if (!first) return undefined;
  const from = lineStart(code, first.start);
  const header = lineStart(code, fn.headerStart);
  if (code.slice(from, first.start).trim() !== '' || fn.decorators.some((decorator) => decorator.end > header)) return undefined;
  return code.slice(from, header);
}

/** Puts decorator lines back above a rewrite's function, so that a line diff leaves them untouched. */
function withDecoratorLines(code: string, fn: ReplyFunction, lines: string): string | undefined {
  const at = lineStart(code, fn.start);
  return code.slice(at, fn.start).trim() === '' ? code.slice(0, at) + lines + code.slice(at) : undefined;
}

/**
 * The original function's own text: its lines without code that shares the first or the last of
 * them (`x = 1; function f() {`), which the suggestion keeps as it is (see FunctionInfo).
 */
function ownText(original: FunctionInfo): string {
  let text = original.code;
  if (original.textBefore && text.startsWith(original.textBefore)) text = text.slice(original.textBefore.length);
  if (original.textAfter && text.endsWith(original.textAfter)) text = text.slice(0, text.length - original.textAfter.length);
  return text;
}

/**
 * The original read as the one function it is: from its whole lines when they hold just that (a
 * callback with the call registering it, a function with a trailing comment), else from its own text.
 */
async function readOriginal(original: FunctionInfo, language: Language, path: string): Promise<{ text: string; verdict: ReplyVerdict }> {
  const whole = await readReply(original.code, language, path, original.name);
  const own = ownText(original);
  if (whole.ok || own === original.code) return { text: original.code, verdict: whole };
  return { text: own, verdict: await readReply(own, language, path, original.name) };
}

/** Structural checks: everything but the analyzers. */
export async function validateCandidate(input: ValidationInput): Promise<ValidationResult> {
  const { original, language, path } = input;
  const text = input.candidate.replace(/\r\n?/g, '\n').replace(/\n+$/, '');
  if (text.trim() === '') return reject('no-code-block', 'the reply holds no code');
  const originalLines = lineCount(original.code);
  const limit = originalLines * (input.maxGrowth ?? 3) + 20;
  const tooLarge = (lines: number) => reject('too-large', `${lines} lines where the original has ${originalLines} (limit ${limit})`);
  // Not worth parsing: even without its imports it could not fit.
  if (lineCount(text) > 2 * limit) return tooLarge(lineCount(text));

  const reply = await readReply(text, language, path, original.name);
  if (!reply.ok) return reject(reply.reason, reply.detail);
  const { text: originalText, verdict: before } = await readOriginal(original, language, path);
  if (!before.ok) return reject('different-function', `the original ${original.name} cannot be read on its own (${before.detail})`);

  // What will be suggested is read again: re-indenting and taking imports out must not change what it is.
  let code = matchIndentation(withoutSpans(text, reply.reading.imports), original.code);
  let rewritten = await readReply(code, language, path, original.name);
  if (!rewritten.ok) return reject(rewritten.reason, rewritten.detail);
  const originalDecorators = decoratorLines(originalText, before.reading.fn);
  if (originalDecorators !== undefined && rewritten.reading.fn.decorators.length === 0) {
    // A reply that leaves out every decorator keeps the original's; dropping only some is a change.
    const restored = withDecoratorLines(code, rewritten.reading.fn, originalDecorators);
    if (restored !== undefined) {
      code = restored;
      rewritten = await readReply(code, language, path, original.name);
      if (!rewritten.ok) return reject(rewritten.reason, rewritten.detail);
    }
  }
  if (rewritten.reading.imports.length > 0) return reject('extra-code', 'the reply holds imports that could not be taken out');
  const change = frameChange(before.reading.fn.frame, rewritten.reading.fn.frame, grammarFor(language, path));
  if (change) return reject(change.reason, change.detail);
  const { emptyBody, own } = rewritten.reading.fn;
  if (emptyBody) return reject('syntax-error', `${original.name} has no body`);
  // Code sharing the function's first or last line stays as it is in the file (see hunks.ts), so
  // what replaces the function is its own text. Where that code is part of the function's statement
  // (the call registering a callback), the frame compared it: the rewrite could not change it.
  const shared = original.textBefore !== undefined || original.textAfter !== undefined;
  if (shared) code = code.slice(own.start, own.end);
  if (squash(code) === squash(shared ? ownText(original) : originalText)) return reject('unchanged', 'identical to the original apart from whitespace');
  if (lineCount(code) > limit) return tooLarge(lineCount(code));
  return { ok: true, code, findings: [], imports: reply.reading.imports.map((statement) => statement.text) };
}
