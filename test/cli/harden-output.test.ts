// What `seccoder harden` prints for a suggestion: the CWE ids it shows named once, the reason, and
// a line when no analyzer checked the rewrite (a language without one, such as Ruby).
import { describe, expect, it } from 'vitest';
import { printOutcomes, type HardenReport } from '../../src/cli/harden-output.js';
import { DB_FIND, FIND_ROWS, FIND_ROWS_FIXED, outcome, suggestionFor, target } from '../fixtures/github/pull-request.js';

function printed(report: HardenReport): string[] {
  const lines: string[] = [];
  printOutcomes(report, { json: false, style: 'chat' }, { out: (line) => lines.push(...line.split('\n')), err: () => undefined });
  return lines;
}

const demonstration = {
  entry: {
    id: 'seed-rb-sqli-1',
    language: 'ruby' as const,
    code: 'def find(id) = User.find(id)',
    cwe: ['CWE-89', 'CWE-564'],
    source: { repo: 'acme/shop' },
    origin: 'seed' as const,
    addedAt: '2026-01-01T00:00:00.000Z',
  },
  score: 0.9,
} as unknown as HardenReport['outcomes'][number]['demonstrations'][number];

describe('printOutcomes', () => {
  it('names each CWE once, under the demonstrations, and says when no analyzer checked the rewrite', () => {
    const ruby = target({ path: 'app/models/user.rb', name: 'find_rows', startLine: 40, code: FIND_ROWS }, { language: 'ruby' });
    const suggestion = suggestionFor(ruby, FIND_ROWS_FIXED, { analysis: { language: 'ruby', ran: [], notAnalyzed: [] } });
    const lines = printed({
      model: 'coder-7b',
      outcomes: [outcome(ruby, { suggestion, demonstrations: [demonstration] })],
      skipped: [],
      files: [{ path: ruby.path, content: `${'\n'.repeat(39)}${FIND_ROWS}\n`, language: 'ruby' }],
    } as HardenReport);
    expect(lines.slice(0, 5)).toEqual([
      '== app/models/user.rb:40-44 find_rows (new-function)',
      'secure demonstrations:',
      '  1. seed-rb-sqli-1  CWE-89,CWE-564  ruby  acme/shop',
      "CWE-89: Improper Neutralization of Special Elements used in an SQL Command ('SQL Injection')",
      'CWE-564: SQL Injection: Hibernate',
    ]);
    expect(lines).toContain('Rewrites `find_rows` to remove CWE-89.');
    expect(lines[lines.indexOf('Rewrites `find_rows` to remove CWE-89.') + 1]).toBe('Not checked by a security analyzer: none is available for Ruby here.');
  });

  it('says nothing of analyzers when one checked the rewrite', () => {
    const suggestion = suggestionFor(DB_FIND, FIND_ROWS_FIXED, { analysis: { language: 'python', ran: ['bandit'], notAnalyzed: [] } });
    const lines = printed({
      model: 'coder-7b',
      outcomes: [outcome(DB_FIND, { suggestion })],
      skipped: [],
      files: [{ path: DB_FIND.path, content: `${'\n'.repeat(39)}${FIND_ROWS}\n`, language: 'python' }],
    } as HardenReport);
    expect(lines.join('\n')).not.toContain('Not checked');
  });
});
