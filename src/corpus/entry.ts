// One corpus entry = one secure function, with where it came from. Validated with zod on read.
import { createHash } from 'node:crypto';
import { z } from 'zod';
import { cweIdSchema } from '../cwe/schema.js';
import { LANGUAGES } from '../lang/languages.js';

export const ORIGINS = ['seed', 'merged-fix', 'manual'] as const;
export type Origin = (typeof ORIGINS)[number];

export const sourceSchema = z
  .object({
    repo: z.string().min(1).optional(),
    commit: z.string().min(1).optional(),
    path: z.string().min(1).optional(),
    url: z.string().url().optional(),
    /** Name of the function in its file. */
    function: z.string().min(1).optional(),
    /** Data set a seed entry was taken from (e.g. "sven", "safecoder"). */
    dataset: z.string().min(1).optional(),
    /** Pull request whose merge added the entry. */
    pullRequest: z.number().int().positive().optional(),
    mergedBy: z.string().min(1).optional(),
  })
  .strict();
export type EntrySource = z.infer<typeof sourceSchema>;

export const corpusEntrySchema = z
  .object({
    id: z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._:-]*$/, 'ids are letters, digits and . _ : -'),
    language: z.enum(LANGUAGES),
    code: z.string().min(1),
    cwe: z.array(cweIdSchema),
    source: sourceSchema,
    origin: z.enum(ORIGINS),
    addedAt: z.string().datetime(),
    sha256: z.string().regex(/^[0-9a-f]{64}$/),
  })
  .strict()
  .refine((entry) => entry.sha256 === codeHash(entry.code), {
    message: 'sha256 does not match the normalized code',
    path: ['sha256'],
  });
export type CorpusEntry = z.infer<typeof corpusEntrySchema>;

/** Removes the indentation every non-blank line shares (a method cut out of its class). */
export function dedent(code: string): string {
  const lines = code.split('\n');
  const indents = lines.filter((line) => line.trim() !== '').map((line) => /^[ \t]*/.exec(line)?.[0] ?? '');
  if (indents.length === 0) return code;
  let common = indents[0] ?? '';
  for (const indent of indents) {
    let i = 0;
    while (i < common.length && i < indent.length && common[i] === indent[i]) i += 1;
    common = common.slice(0, i);
  }
  return common === '' ? code : lines.map((line) => line.slice(Math.min(common.length, line.length))).join('\n');
}

/**
 * The form of code that identity is computed on: line endings, trailing spaces, surrounding blank
 * lines and a shared indentation do not make a function different.
 */
export function normalizeCode(code: string): string {
  const lines = code
    .replace(/\r\n?/g, '\n')
    .split('\n')
    .map((line) => line.replace(/[ \t]+$/, ''))
    .join('\n')
    .replace(/^\n+|\n+$/g, '');
  return dedent(lines);
}

export function codeHash(code: string): string {
  return createHash('sha256').update(normalizeCode(code)).digest('hex');
}
