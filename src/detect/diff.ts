// Unified diffs (git's and GitHub's) reduced to what targeting needs: which lines of the new
// version were added and which lines a review comment may be placed on. Pure functions.
import parseDiff from 'parse-diff';
import { diffSections, unquoteGitPath, type DiffSection } from './diff-sections.js';
import type { FunctionInfo } from './types.js';

export type ChangeStatus = 'added' | 'modified' | 'deleted' | 'renamed';

/** A hunk's range on the new (right) side: lines newStart..newStart+newLines-1. */
export interface HunkRange {
  newStart: number;
  newLines: number;
}

export interface ChangedFile {
  /** Path in the new version (the old path for deleted files), without git's `a/`/`b/` prefix. */
  path: string;
  /** Path before a rename. */
  oldPath?: string;
  status: ChangeStatus;
  binary: boolean;
  /** Right-side line numbers of added lines, ascending; empty for deleted and binary files. */
  addedLines: number[];
  hunks: HunkRange[];
  /**
   * What the new version holds on each line the hunks show (added and context lines), when the
   * diff's text was read: how `diffMismatch` tells whether the diff was made against a file.
   */
  rightLines?: RightLine[];
}

/** One line of a hunk's right side: its number in the new version and its text. */
export interface RightLine {
  line: number;
  text: string;
}

/** A line where the file is not what the diff says the new version holds. */
export interface DiffMismatch {
  line: number;
  /** The diff's text for the line. */
  expected: string;
  /** The file's text, undefined when the file is shorter. */
  actual: string | undefined;
}

export interface ChangedFunction {
  function: FunctionInfo;
  /** `new-function` when every line of the function was added. */
  reason: 'new-function' | 'changed-function';
}

const DEV_NULL = '/dev/null';

function statusOf(file: parseDiff.File, from: string, to: string): ChangeStatus {
  if (file.new || from === DEV_NULL) return 'added';
  if (file.deleted || to === DEV_NULL) return 'deleted';
  return from !== to ? 'renamed' : 'modified';
}

/** parse-diff drops the quotes of `"a/t\\303\\251.py"` but keeps the escapes inside. */
function unescapePath(path: string): string {
  return path.includes('\\') ? unquoteGitPath(`"${path}"`) : path;
}

/**
 * Old and new path of a file: git's `rename from/to` lines when present (exact even with
 * spaces), then the `---`/`+++` lines parse-diff read, then the header of a file without hunks.
 */
function pathsOf(file: parseDiff.File, section: DiffSection | undefined): { from: string; to: string } {
  let from = file.from ?? DEV_NULL;
  let to = file.to ?? DEV_NULL;
  if (section?.from !== undefined && section.to !== undefined) return { from: section.from, to: section.to };
  if (file.chunks.length === 0 && section?.samePath !== undefined) {
    from = file.new ? DEV_NULL : section.samePath;
    to = file.deleted ? DEV_NULL : section.samePath;
  }
  return { from: unescapePath(from), to: unescapePath(to) };
}

/** Parses git/GitHub unified diff text (several files) into one ChangedFile per file. */
export function parseUnifiedDiff(text: string): ChangedFile[] {
  const files = parseDiff(text);
  const sections = diffSections(text);
  // Only git-format diffs have one `diff` header per file; otherwise parse-diff's view is all we have.
  const aligned = sections.length === files.length;
  return files.flatMap((file, i): ChangedFile[] => {
    const section = aligned ? sections[i] : undefined;
    const { from, to } = pathsOf(file, section);
    if (from === DEV_NULL && to === DEV_NULL) return [];
    const status = statusOf(file, from, to);
    const binary = section?.binary ?? false;
    const addedLines =
      status === 'deleted' || binary ? [] : file.chunks.flatMap((chunk) => chunk.changes.flatMap((change) => (change.type === 'add' ? [change.ln] : [])));
    // `\ No newline at end of file` comes through as a change too; only `+` and ` ` lines are the file's.
    const rightLines =
      status === 'deleted' || binary
        ? []
        : file.chunks.flatMap((chunk) =>
            chunk.changes.flatMap((change): RightLine[] => {
              if (change.type === 'add' && change.content.startsWith('+')) return [{ line: change.ln, text: change.content.slice(1) }];
              if (change.type === 'normal' && change.content.startsWith(' ')) return [{ line: change.ln2, text: change.content.slice(1) }];
              return [];
            }),
          );
    return [
      {
        path: status === 'deleted' ? from : to,
        ...(status === 'renamed' ? { oldPath: from } : {}),
        status,
        binary,
        addedLines: [...new Set(addedLines)].sort((a, b) => a - b),
        hunks: file.chunks.map((chunk) => ({ newStart: chunk.newStart, newLines: chunk.newLines })),
        rightLines,
      },
    ];
  });
}

/** Number of the function's lines that the diff added. */
export function addedLinesIn(file: ChangedFile, start: number, end: number): number {
  return file.addedLines.filter((line) => line >= start && line <= end).length;
}

/** The functions with at least one added line; `new-function` when all their lines are added. */
export function changedFunctions(file: ChangedFile, functions: readonly FunctionInfo[]): ChangedFunction[] {
  return functions.flatMap((fn): ChangedFunction[] => {
    const added = addedLinesIn(file, fn.startLine, fn.endLine);
    if (added === 0) return [];
    const reason = added === fn.endLine - fn.startLine + 1 ? 'new-function' : 'changed-function';
    return [{ function: fn, reason }];
  });
}

/**
 * Whether lines start..end all lie on the right side of one hunk. GitHub accepts review comments
 * only on lines inside the diff, and a multi-line comment must stay within one hunk.
 */
export function linesInDiff(file: ChangedFile, start: number, end: number): boolean {
  if (end < start) return false;
  return file.hunks.some((hunk) => hunk.newLines > 0 && start >= hunk.newStart && end <= hunk.newStart + hunk.newLines - 1);
}

/**
 * The first line where `content` (the file as given) differs from what the diff says the new
 * version holds, or undefined when every line the hunks show is there (or the diff's text is
 * unknown). A mismatch means the diff was made against another version of the file, so its line
 * numbers say nothing about this one. Line endings (`\r`) are ignored.
 */
export function diffMismatch(file: ChangedFile, content: string): DiffMismatch | undefined {
  if (!file.rightLines || file.rightLines.length === 0) return undefined;
  const lines = content.split('\n');
  const strip = (text: string) => text.replace(/\r$/, '');
  for (const { line, text } of file.rightLines) {
    const actual = lines[line - 1];
    if (actual === undefined || strip(actual) !== strip(text)) return { line, expected: text, actual: actual === undefined ? undefined : strip(actual) };
  }
  return undefined;
}
