// Choosing the functions to harden: those with alerts first, then those the change touched,
// ranked by risk and capped. Every candidate that is not chosen is reported with its reason.
import type { Language } from '../lang/languages.js';
import { describeSyntaxProblems, type SyntaxProblem } from '../parse/index.js';
import { functionOfAlert } from './alert-mapping.js';
import { changedFunctions, diffMismatch, type ChangedFile } from './diff.js';
import { analyzeSource, enclosingFunction, type SourceAnalysis } from './functions.js';
import { firstMatchingGlob } from './glob.js';
import { riskConcepts, riskScore } from './risk-score.js';
import type { Alert, FunctionInfo, SkippedTarget, Target, TargetReason } from './types.js';
import { qualifiedName } from './qualified-name.js';

/** Vendored, generated and minified code, and lockfiles: not the author's to harden. */
export const DEFAULT_IGNORE: readonly string[] = [
  '**/node_modules/**',
  '**/vendor/**',
  '**/third_party/**',
  '**/dist/**',
  '**/build/**',
  '**/*.min.js',
  '**/*.min.css',
  '**/package-lock.json',
  '**/yarn.lock',
  '**/pnpm-lock.yaml',
  '**/*.generated.*',
  '**/*_pb2.py',
  '**/*.pb.go',
];

export interface TargetKinds {
  /** Harden functions that hold code-scanning alerts (default true). */
  alerts: boolean;
  /**
   * Harden functions the change adds or modifies (default true); without a diff or alerts, every
   * function of the given files.
   */
  newFunctions: boolean;
}

export interface TargetOptions {
  /** Most targets per run; each costs a model call (default 10). */
  maxTargets: number;
  /** Longer functions are skipped as `too-large`; a nested function that fits is used instead (default 200). */
  maxFunctionLines: number;
  /** Path globs never hardened (default DEFAULT_IGNORE). */
  ignore: readonly string[];
  /** Only these languages (default: every supported language). */
  languages?: readonly Language[];
  /**
   * Skip functions without an alert in which no risky operation is found (no SQL, shell, file,
   * memory, deserialization, markup, crypto, ... concept; `riskConcepts`): there is nothing for
   * a secure demonstration to teach, and a model asked anyway only adds noise. Default false.
   */
  skipRiskless?: boolean;
  targets: TargetKinds;
}

export const DEFAULT_TARGET_OPTIONS: TargetOptions = {
  maxTargets: 10,
  maxFunctionLines: 200,
  ignore: DEFAULT_IGNORE,
  targets: { alerts: true, newFunctions: true },
};

export interface SourceFile {
  /** Repository-relative path with forward slashes, as in the diff and the alerts. */
  path: string;
  content: string;
  /** Undefined when the file's language is not supported. */
  language: Language | undefined;
}

export interface TargetInput {
  files: readonly SourceFile[];
  /** The change under review; without it (CLI on plain files) whole files are candidates. */
  diff?: readonly ChangedFile[];
  alerts?: readonly Alert[];
  options?: Partial<Omit<TargetOptions, 'targets'>> & { targets?: Partial<TargetKinds> };
}

export interface TargetSelection {
  targets: Target[];
  skipped: SkippedTarget[];
}

interface PreparedFile {
  path: string;
  language: Language;
  analysis: SourceAnalysis;
}

/** A function chosen as target, before ranking and capping. */
interface Candidate {
  file: PreparedFile;
  function: FunctionInfo;
  alerts: Alert[];
  /** Lines of the function the change added (for plain files: all of them). */
  changedLines: number;
  reason: TargetReason;
}

function lengthOf(fn: FunctionInfo): number {
  return fn.endLine - fn.startLine + 1;
}

function keyOf(path: string, fn: FunctionInfo): string {
  return `${path}:${fn.startLine}-${fn.endLine}:${fn.name}`;
}

/**
 * The function to rewrite for something found in `fn`: the outermost function around it that is
 * not too large. Rewriting the outer function covers nested ones, and choosing the outermost for
 * every line makes any two targets either the same function or disjoint, so suggestions never
 * overlap. Undefined when even `fn` is too large.
 */
function outermostFitting(fn: FunctionInfo, functions: readonly FunctionInfo[], maxLines: number): FunctionInfo | undefined {
  let best: FunctionInfo | undefined;
  for (const candidate of functions) {
    if (candidate.startLine > fn.startLine || candidate.endLine < fn.endLine || lengthOf(candidate) > maxLines) continue;
    if (!best || lengthOf(candidate) > lengthOf(best)) best = candidate;
  }
  return best;
}

const SEVERITY_RANK: Record<string, number> = { critical: 5, high: 4, error: 4, medium: 3, warning: 3, low: 2, note: 2 };

function severityRank(alerts: readonly Alert[]): number {
  return Math.max(0, ...alerts.map((alert) => SEVERITY_RANK[alert.severity?.toLowerCase() ?? ''] ?? 1));
}

function byPosition(a: Candidate, b: Candidate): number {
  return a.file.path.localeCompare(b.file.path) || a.function.startLine - b.function.startLine;
}

/** Collects candidates and skips, reading and parsing each file at most once. */
class Selection {
  readonly skipped: SkippedTarget[] = [];
  private readonly prepared = new Map<string, PreparedFile | undefined>();
  private readonly files: Map<string, SourceFile>;
  private readonly lifted = new Map<string, FunctionInfo | undefined>();
  readonly candidates = new Map<string, Candidate>();

  constructor(
    files: readonly SourceFile[],
    private readonly options: TargetOptions,
  ) {
    this.files = new Map(files.map((file) => [file.path, file]));
  }

  /** The file parsed, or undefined after recording why it cannot give targets. */
  async prepare(path: string): Promise<PreparedFile | undefined> {
    if (this.prepared.has(path)) return this.prepared.get(path);
    const file = await this.load(path);
    this.prepared.set(path, file);
    return file;
  }

  private async load(path: string): Promise<PreparedFile | undefined> {
    const pattern = firstMatchingGlob(path, this.options.ignore);
    if (pattern) return this.skip({ path, reason: 'ignored-path', detail: `matches ${pattern}` });
    const file = this.files.get(path);
    if (!file) return this.skip({ path, reason: 'unsupported-file', detail: 'file content not provided' });
    // As git decides: a NUL byte near the start means binary.
    const head = file.content.slice(0, 8000);
    if (head.includes('\u0000')) return this.skip({ path, reason: 'binary-file', detail: 'the file holds NUL bytes' });
    // Bytes that are not UTF-8 text decode to U+FFFD; source code has none, or a stray one.
    const undecodable = head.match(/\uFFFD/g)?.length ?? 0;
    if (undecodable > 8 && undecodable > head.length / 100) return this.skip({ path, reason: 'binary-file', detail: 'the file is not UTF-8 text' });
    if (!file.language) return this.skip({ path, reason: 'unsupported-file', detail: 'language not supported' });
    if (this.options.languages && !this.options.languages.includes(file.language)) {
      return this.skip({ path, reason: 'language', detail: `${file.language} is not among the configured languages` });
    }
    const analysis = await analyzeSource(file.content, file.language, path);
    return { path, language: file.language, analysis };
  }

  /** The file's text as given (undefined when not provided). */
  contentOf(path: string): string | undefined {
    return this.files.get(path)?.content;
  }

  skip(skipped: SkippedTarget): undefined {
    this.skipped.push(skipped);
    return undefined;
  }

  /** The target function for something inside `inner`, or undefined after recording `too-large`. */
  lift(file: PreparedFile, inner: FunctionInfo, detail: string): FunctionInfo | undefined {
    const key = keyOf(file.path, inner);
    // Called once per changed line: remember each function's answer.
    if (this.lifted.has(key)) return this.lifted.get(key);
    const target = outermostFitting(inner, file.analysis.functions, this.options.maxFunctionLines);
    this.lifted.set(key, target);
    if (target) return target;
    const limit = `${lengthOf(inner)} lines, more than ${this.options.maxFunctionLines}`;
    this.skip({ path: file.path, function: qualifiedName(inner), reason: 'too-large', detail: `${limit}; ${detail}` });
    return undefined;
  }

  candidate(file: PreparedFile, fn: FunctionInfo, reason: TargetReason): Candidate {
    const key = keyOf(file.path, fn);
    let candidate = this.candidates.get(key);
    if (!candidate) {
      candidate = { file, function: fn, alerts: [], changedLines: 0, reason };
      this.candidates.set(key, candidate);
    }
    return candidate;
  }
}

async function addAlertCandidates(selection: Selection, alerts: readonly Alert[]): Promise<void> {
  // The same finding can arrive twice (a SARIF folder holding a copy, two analysis categories).
  const seen = new Set<string>();
  for (const alert of alerts) {
    const identity = JSON.stringify([alert.ruleId, alert.path, alert.startLine, alert.endLine, alert.message]);
    if (seen.has(identity)) continue;
    seen.add(identity);
    const file = await selection.prepare(alert.path);
    if (!file) continue;
    const where = `${alert.ruleId} at line ${alert.startLine}`;
    const inner = functionOfAlert(alert, file.analysis.functions);
    if (!inner) {
      const { errors } = file.analysis;
      if (file.analysis.functions.length === 0 && errors.length > 0) {
        selection.skip({
          path: alert.path,
          reason: 'parse-error',
          detail: `${where}: not parsed, no function could be read; ${describeSyntaxProblems(errors, 1)}`,
        });
      } else {
        selection.skip({ path: alert.path, reason: 'alert-outside-function', detail: where });
      }
      continue;
    }
    const target = selection.lift(file, inner, `alert ${where}`);
    if (!target) continue;
    selection.candidate(file, target, 'alert').alerts.push(alert);
  }
}

/** Marks `lines` of a file as changed and makes candidates of the functions holding them. */
function addLineCandidates(selection: Selection, file: PreparedFile, lines: Iterable<number>, reasonOf: (fn: FunctionInfo) => TargetReason): void {
  let outside = 0;
  for (const line of lines) {
    const inner = enclosingFunction(file.analysis.functions, line);
    if (!inner) {
      outside += 1;
      continue;
    }
    const target = selection.lift(file, inner, 'changed');
    if (!target) continue;
    selection.candidate(file, target, reasonOf(target)).changedLines += 1;
  }
  // Module-level changes are normal; they are only worth a word when a syntax error may have hidden a function.
  if (outside > 0 && file.analysis.errors.length > 0) {
    selection.skip({
      path: file.path,
      reason: 'parse-error',
      detail: `${outside} changed line(s) outside any recognized function; ${describeSyntaxProblems(file.analysis.errors)}`,
    });
  }
}

async function addDiffCandidates(selection: Selection, diff: readonly ChangedFile[]): Promise<void> {
  for (const changed of diff) {
    if (changed.status === 'deleted' || (changed.addedLines.length === 0 && !changed.binary)) continue;
    if (changed.binary) {
      selection.skip({ path: changed.path, reason: 'binary-file', detail: 'the diff marks it binary' });
      continue;
    }
    const file = await selection.prepare(changed.path);
    if (!file) continue;
    const mismatch = diffMismatch(changed, selection.contentOf(changed.path) ?? '');
    if (mismatch) {
      const shown = (text: string | undefined) => (text === undefined ? 'past the end of the file' : JSON.stringify(clip(text)));
      selection.skip({
        path: changed.path,
        reason: 'diff-not-applicable',
        detail:
          `the diff's hunks do not match the file's lines: line ${mismatch.line} is ${shown(mismatch.actual)} in the file, ` +
          `${JSON.stringify(clip(mismatch.expected))} in the diff (was the diff made against another version?)`,
      });
      continue;
    }
    const reasonOf = (fn: FunctionInfo): TargetReason => changedFunctions(changed, [fn])[0]?.reason ?? 'changed-function';
    addLineCandidates(selection, file, changed.addedLines, reasonOf);
  }
}

async function addWholeFileCandidates(selection: Selection, files: readonly SourceFile[]): Promise<void> {
  for (const source of files) {
    const file = await selection.prepare(source.path);
    if (!file) continue;
    if (file.analysis.functions.length === 0) {
      const { errors } = file.analysis;
      if (errors.length > 0) {
        selection.skip({ path: file.path, reason: 'parse-error', detail: `not parsed, no function could be read; ${describeSyntaxProblems(errors, 1)}` });
      } else {
        selection.skip({ path: file.path, reason: 'no-function', detail: `no ${file.language} function or method found` });
      }
      continue;
    }
    const lines = new Set<number>();
    for (const fn of file.analysis.functions) for (let line = fn.startLine; line <= fn.endLine; line += 1) lines.add(line);
    addLineCandidates(
      selection,
      file,
      [...lines].sort((a, b) => a - b),
      () => 'changed-function',
    );
  }
}

function clip(text: string, max = 40): string {
  const trimmed = text.trim();
  return trimmed.length > max ? `${trimmed.slice(0, max - 3)}...` : trimmed;
}

/**
 * Files given with a diff that does not change them (and no alert in them): the paths the diff
 * has, and the one that looks like the file when its path was written from another folder.
 */
function skipFilesNotInDiff(selection: Selection, files: readonly SourceFile[], diff: readonly ChangedFile[], alerts: readonly Alert[]): void {
  const inDiff = new Set(diff.flatMap((changed) => [changed.path, ...(changed.oldPath ? [changed.oldPath] : [])]));
  for (const alert of alerts) inDiff.add(alert.path);
  const paths = diff.map((changed) => changed.path);
  const listed = paths.length === 0 ? 'no file' : `${paths.slice(0, 5).join(', ')}${paths.length > 5 ? ` and ${paths.length - 5} more` : ''}`;
  for (const file of files) {
    if (inDiff.has(file.path)) continue;
    const near = paths.find((path) => path.endsWith(`/${file.path}`) || file.path.endsWith(`/${path}`));
    selection.skip({
      path: file.path,
      reason: 'not-in-diff',
      detail: `the diff changes ${listed}${near ? `; ${near} looks like this file (paths are compared as the diff writes them, from the repository root)` : ''}`,
    });
  }
}

function syntaxProblemsIn(candidate: Candidate): SyntaxProblem[] {
  const { startLine, endLine } = candidate.function;
  return candidate.file.analysis.errors.filter((problem) => problem.line >= startLine && problem.line <= endLine);
}

function toTarget(candidate: Candidate): Target {
  return {
    path: candidate.file.path,
    language: candidate.file.language,
    function: candidate.function,
    reason: candidate.reason,
    alerts: candidate.alerts,
    fileContext: candidate.file.analysis.fileContext,
  };
}

function resolveOptions(input: TargetInput['options'] = {}): TargetOptions {
  return {
    ...DEFAULT_TARGET_OPTIONS,
    ...input,
    targets: { ...DEFAULT_TARGET_OPTIONS.targets, ...input.targets },
  };
}

/**
 * Picks the functions to harden. Alert targets come first (all alerts of one function in one
 * target), then functions the diff touched, highest risk score first; with neither a diff nor
 * alerts, every function of the files is a candidate. At most `maxTargets`; everything dropped is
 * in `skipped` with its reason.
 */
export async function selectTargets(input: TargetInput): Promise<TargetSelection> {
  const options = resolveOptions(input.options);
  const selection = new Selection(input.files, options);
  const alerts = options.targets.alerts ? (input.alerts ?? []) : [];

  await addAlertCandidates(selection, alerts);
  if (input.diff) skipFilesNotInDiff(selection, input.files, input.diff, alerts);
  if (options.targets.newFunctions) {
    if (input.diff) await addDiffCandidates(selection, input.diff);
    else if (!input.alerts || input.alerts.length === 0) await addWholeFileCandidates(selection, input.files);
  }

  const usable: Candidate[] = [];
  for (const candidate of selection.candidates.values()) {
    const problems = syntaxProblemsIn(candidate);
    if (problems.length > 0) {
      selection.skip({
        path: candidate.file.path,
        function: qualifiedName(candidate.function),
        reason: 'parse-error',
        detail: describeSyntaxProblems(problems),
      });
    } else {
      usable.push(candidate);
    }
  }

  const alertTargets = usable
    .filter((candidate) => candidate.alerts.length > 0)
    .sort((a, b) => severityRank(b.alerts) - severityRank(a.alerts) || b.alerts.length - a.alerts.length || byPosition(a, b));
  const scored = usable
    .filter((candidate) => candidate.alerts.length === 0)
    .filter((candidate) => {
      if (!options.skipRiskless || riskConcepts(candidate.function.code).length > 0) return true;
      selection.skip({ path: candidate.file.path, function: qualifiedName(candidate.function), reason: 'no-risk', detail: 'no risky operation found in it' });
      return false;
    })
    .map((candidate) => ({ candidate, score: riskScore(candidate.function.code, candidate.changedLines) }))
    .sort((a, b) => b.score - a.score || byPosition(a.candidate, b.candidate))
    .map(({ candidate }) => candidate);

  const ranked = [...alertTargets, ...scored];
  const kept = ranked.slice(0, Math.max(0, options.maxTargets));
  for (const dropped of ranked.slice(kept.length)) {
    selection.skip({
      path: dropped.file.path,
      function: qualifiedName(dropped.function),
      reason: 'cap-reached',
      detail: `${dropped.reason} target beyond maxTargets (${options.maxTargets})`,
    });
  }
  return { targets: kept.map(toTarget), skipped: selection.skipped };
}
