// What is wrong with a `.github/seccoder.yml`, in words its maintainer can act on: each problem
// names the key as a dotted path and says what the value must be (zod's own messages speak of
// types and issue codes), with "did you mean" hints for misspelt keys. Rendered as a Markdown table
// for the check run and the Action's job summary.
import { z } from 'zod';
import { escapeMarkdown, inlineCode, tableCell } from '../text/markdown.js';
import { secCoderConfigSchema } from './schema.js';

/** One thing wrong with the config: `key` is a dotted path (`model.temperature`, `languages[1]`). */
export interface ConfigProblem {
  key: string;
  message: string;
}

/** The name of the top level in problems about the file as a whole. */
export const TOP_LEVEL_KEY = '(top level)';

function keyOf(path: readonly PropertyKey[]): string {
  let key = '';
  for (const part of path) {
    if (typeof part === 'number') key += `[${part}]`;
    else key += key === '' ? String(part) : `.${String(part)}`;
  }
  return key === '' ? TOP_LEVEL_KEY : key;
}

function describeValue(value: unknown): string {
  if (value === null || value === undefined) return 'empty';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'number') return Number.isInteger(value) ? 'a whole number' : 'a decimal number';
  if (typeof value === 'object') return 'a mapping of keys';
  if (typeof value === 'string') return 'text';
  return `a ${typeof value}`;
}

const EXPECTED: Record<string, string> = {
  boolean: 'true or false',
  int: 'a whole number',
  number: 'a number',
  string: 'text',
  array: 'a list',
  object: 'a mapping of keys',
};

function limit(issue: { origin?: string; inclusive?: boolean }, bound: unknown, most: boolean): string {
  const strict = issue.inclusive === false;
  const word = most ? (strict ? 'less than' : 'at most') : strict ? 'more than' : 'at least';
  const n = Number(bound);
  if (issue.origin === 'array') return `must list ${word} ${n} ${n === 1 ? 'item' : 'items'}`;
  if (issue.origin === 'string') return `must be ${word} ${n} ${n === 1 ? 'character' : 'characters'}`;
  return `must be ${word} ${n}`;
}

/** The schema a config path leads to, wrappers (default, optional, pipe) removed; undefined off the schema. */
function schemaAt(path: readonly PropertyKey[]): z.core.$ZodType | undefined {
  let schema: z.core.$ZodType = secCoderConfigSchema;
  const unwrap = () => {
    for (;;) {
      const def = schema._zod.def as { type: string; innerType?: z.core.$ZodType; in?: z.core.$ZodType };
      if (def.innerType) schema = def.innerType;
      else if (def.type === 'pipe' && def.in) schema = def.in;
      else return;
    }
  };
  for (const part of path) {
    unwrap();
    if (!(schema instanceof z.ZodObject) || typeof part !== 'string') return undefined;
    const shape = schema.shape as Record<string, z.core.$ZodType>;
    const next = Object.hasOwn(shape, part) ? shape[part] : undefined;
    if (!next) return undefined;
    schema = next;
  }
  unwrap();
  return schema;
}

/** Sub-keys of the config object at `path`, for "did you mean" hints. */
function knownKeysAt(path: readonly PropertyKey[]): string[] {
  const schema = schemaAt(path);
  return schema instanceof z.ZodObject ? Object.keys(schema.shape) : [];
}

/** What an invalid_type issue expected, in words; zod reports a whole-number schema as expecting "number". */
function expectedAt(path: readonly PropertyKey[], expected: string): string {
  const schema = schemaAt(path);
  if (expected === 'number' && schema instanceof z.ZodNumber && schema.format === 'safeint') return EXPECTED.int as string;
  return EXPECTED[expected] ?? expected;
}

function squash(key: string): string {
  return key.toLowerCase().replace(/[-_\s]/g, '');
}

function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i += 1) {
    const current = [i];
    for (let j = 1; j <= b.length; j += 1) {
      const substitution = (previous[j - 1] ?? 0) + (a[i - 1] === b[j - 1] ? 0 : 1);
      current.push(Math.min((previous[j] ?? 0) + 1, (current[j - 1] ?? 0) + 1, substitution));
    }
    previous = current;
  }
  return previous[b.length] ?? 0;
}

function unknownKeyMessage(key: string, known: readonly string[]): string {
  const wanted = squash(key);
  const close =
    known.find((candidate) => squash(candidate) === wanted) ??
    (wanted.length > 3 ? known.find((candidate) => editDistance(squash(candidate), wanted) <= 2) : undefined);
  const hint = close ? `; did you mean ${JSON.stringify(close)}?` : known.length > 0 ? `; known keys here: ${known.join(', ')}` : '';
  return `unknown key${hint}`;
}

/** Zod's issues with a config as problems a repository's maintainer can act on: the key, and what it must be. */
export function configProblemsOf(issues: readonly z.core.$ZodIssue[]): ConfigProblem[] {
  return issues.flatMap((issue): ConfigProblem[] => {
    switch (issue.code) {
      case 'unrecognized_keys': {
        const known = knownKeysAt(issue.path);
        return issue.keys.map((key) => ({ key: keyOf([...issue.path, key]), message: unknownKeyMessage(key, known) }));
      }
      case 'invalid_type':
        return [{ key: keyOf(issue.path), message: `must be ${expectedAt(issue.path, issue.expected)}, not ${describeValue(issue.input)}` }];
      case 'too_big':
        return [{ key: keyOf(issue.path), message: limit(issue, issue.maximum, true) }];
      case 'too_small':
        return [{ key: keyOf(issue.path), message: limit(issue, issue.minimum, false) }];
      case 'invalid_value':
        return [{ key: keyOf(issue.path), message: `must be one of ${issue.values.map((value) => JSON.stringify(value)).join(', ')}` }];
      default:
        return [{ key: keyOf(issue.path), message: issue.message }];
    }
  });
}

/**
 * Problems as a Markdown table (`| key | problem |`). Keys come from the repository's file and
 * may hold anything: they are shown as code with pipes escaped; messages are escaped text
 * (`escapeMarkdown` escapes pipes too).
 */
export function configProblemsMarkdown(problems: readonly ConfigProblem[]): string {
  const rows = problems.map((problem) => `| ${tableCell(inlineCode(problem.key))} | ${escapeMarkdown(problem.message)} |`);
  return ['| key | problem |', '| --- | --- |', ...rows].join('\n');
}
