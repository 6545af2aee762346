// The pure pieces under the page: escaping through the html template, which addresses become
// links, the CWE hierarchy layout of the coverage table, which proposals are still pending, and
// the CSRF comparison.
import { describe, expect, it } from 'vitest';
import type { AuditRecord } from '../../src/corpus/audit.js';
import { csrfTokenMatches } from '../../src/governance/csrf.js';
import { groupByHierarchy } from '../../src/governance/cwe-grouping.js';
import { escapeHtml, html } from '../../src/governance/html.js';
import { httpUrl, provenanceUrl, pullRequestUrl } from '../../src/governance/links.js';
import { pendingProposals } from '../../src/governance/pending.js';

describe('html', () => {
  it('escapes every interpolated value, in text and in attributes, and keeps only html-built markup', () => {
    const hostile = `"><script>alert('x')</script>&`;
    const inner = html`<b>${hostile}</b>`;
    expect(html`<a title="${hostile}">${inner}${[hostile, 1, null, undefined, false]}</a>`.text).toBe(
      '<a title="&quot;&gt;&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;&amp;">' +
        '<b>&quot;&gt;&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;&amp;</b>' +
        '&quot;&gt;&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;&amp;1</a>',
    );
    expect(escapeHtml('a&b')).toBe('a&amp;b');
  });
});

describe('links', () => {
  it('links http(s) addresses only', () => {
    expect(httpUrl('https://github.com/a/b')).toBe('https://github.com/a/b');
    for (const bad of ['javascript:alert(1)', 'JaVaScRiPt:alert(1)', 'data:text/html,<b>', 'vbscript:x', '//evil.example', 'not a url'])
      expect(httpUrl(bad), bad).toBeUndefined();
  });

  it('builds provenance from the parts, each path segment encoded, and refuses a repo that is not owner/name', () => {
    expect(provenanceUrl({ repo: 'acme/app', commit: 'abc123', path: 'src/a b#c?.py' })).toBe('https://github.com/acme/app/blob/abc123/src/a%20b%23c%3F.py');
    expect(provenanceUrl({ repo: 'acme/app', commit: 'abc123' })).toBe('https://github.com/acme/app/commit/abc123');
    expect(provenanceUrl({ repo: 'acme/app', pullRequest: 9 })).toBe('https://github.com/acme/app/pull/9');
    expect(provenanceUrl({ repo: 'acme/app/../../evil', commit: 'abc' })).toBeUndefined();
    expect(provenanceUrl({ url: 'javascript:alert(1)', repo: 'acme/app' })).toBe('https://github.com/acme/app');
    expect(provenanceUrl({ dataset: 'sven' })).toBeUndefined();
    expect(pullRequestUrl({ kind: 'pull-request', repo: 'acme/app', pullRequest: 3, url: 'data:x' })).toBe('https://github.com/acme/app/pull/3');
    expect(pullRequestUrl({ kind: 'command', command: 'seccoder corpus retire x' })).toBeUndefined();
  });
});

describe('groupByHierarchy', () => {
  it('groups CWEs under their Pillar, nests each under its nearest ancestor present, and names the parents of the others', () => {
    const groups = groupByHierarchy(['CWE-89', 'CWE-787', 'CWE-416', 'CWE-79', 'CWE-119', 'CWE-125', 'CWE-99999']);
    expect(groups.map((group) => group.pillar)).toEqual(['CWE-664', 'CWE-707', undefined]);
    expect(groups[0]?.rows).toEqual([
      { cwe: 'CWE-119', depth: 0, parents: ['CWE-20', 'CWE-118'] },
      { cwe: 'CWE-125', depth: 1, nestedUnder: 'CWE-119', parents: [] },
      // CWE-416's parents are CWE-672 and CWE-825; CWE-825 is a child of CWE-119.
      { cwe: 'CWE-416', depth: 1, nestedUnder: 'CWE-119', parents: [] },
      { cwe: 'CWE-787', depth: 1, nestedUnder: 'CWE-119', parents: [] },
    ]);
    expect(groups[1]?.rows).toEqual([
      { cwe: 'CWE-79', depth: 0, parents: ['CWE-74'] },
      { cwe: 'CWE-89', depth: 0, parents: ['CWE-74', 'CWE-943'] },
    ]);
    expect(groups[2]?.rows).toEqual([{ cwe: 'CWE-99999', depth: 0, parents: [] }]);
  });

  it('keeps a Pillar that is itself a row as the top of its own group', () => {
    const groups = groupByHierarchy(['CWE-707', 'CWE-79']);
    expect(groups).toEqual([
      {
        pillar: 'CWE-707',
        rows: [
          { cwe: 'CWE-707', depth: 0, parents: [] },
          { cwe: 'CWE-79', depth: 1, nestedUnder: 'CWE-707', parents: [] },
        ],
      },
    ]);
  });
});

describe('pendingProposals', () => {
  const record = (action: AuditRecord['action'], sha: string, at: string, extra: Partial<AuditRecord> = {}): AuditRecord => ({
    at,
    action,
    actor: 'seccoder[bot]',
    via: { kind: 'pull-request', repo: 'acme/.seccoder', pullRequest: 1 },
    sha256: sha.repeat(64),
    ...extra,
  });

  it('keeps proposals no later addition or closing settled, once each, newest first', () => {
    const records = [
      record('proposed', 'a', '2026-01-01T00:00:00.000Z'),
      record('proposed', 'b', '2026-01-02T00:00:00.000Z'),
      record('added', 'a', '2026-01-03T00:00:00.000Z'),
      record('proposed', 'c', '2026-01-04T00:00:00.000Z'),
      record('proposal-closed', 'c', '2026-01-05T00:00:00.000Z'),
      record('proposed', 'b', '2026-01-06T00:00:00.000Z', { via: { kind: 'pull-request', repo: 'acme/.seccoder', pullRequest: 2 } }),
      record('proposed', 'd', '2026-01-07T00:00:00.000Z'),
      // An addition before its proposal does not settle the later proposal.
      record('added', 'e', '2026-01-08T00:00:00.000Z'),
      record('proposed', 'e', '2026-01-09T00:00:00.000Z'),
    ];
    expect(pendingProposals(records).map((r) => `${r.sha256?.[0]}@${r.at.slice(8, 10)}`)).toEqual(['e@09', 'd@07', 'b@06']);
  });
});

describe('csrfTokenMatches', () => {
  it('matches only the exact token, and nothing when the server has none', () => {
    expect(csrfTokenMatches('abc', 'abc')).toBe(true);
    expect(csrfTokenMatches('abc', 'abd')).toBe(false);
    expect(csrfTokenMatches('abc', 'abcd')).toBe(false);
    expect(csrfTokenMatches('abc', undefined)).toBe(false);
    expect(csrfTokenMatches('', '')).toBe(false);
  });
});
