// growth.mode: direct writes the audit trail: an `added` record per function that joined (who
// merged, the pull request, the entry, what each gate said), a `refused` record per function left
// out (the gate and why, with the analyzers' results when they ran), and nothing twice when the
// merge event is delivered again. GitHub mocked with nock; tree-sitter and bandit real.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parseAudit, type AuditRecord } from '../../../src/corpus/audit.js';
import { parseCorpusJsonl, serializeEntry } from '../../../src/corpus/jsonl.js';
import { MERGER, TOOLS_PULL, VIEWS_PULL } from '../../fixtures/github/merge-events.js';
import { appendEntries, snippetEntries, tempDirs } from '../../fixtures/retrieval-corpus.js';
import { SNIPPETS } from '../../fixtures/secure-snippets.js';
import { useHttpMocks } from '../../helpers/http-mocks.js';
import { makeEntry } from '../../helpers/entries.js';
import { BOT_LOGIN, deliver, growth, mergeEvent, mockComment, mockMergeReads, mockPeople, NOW } from './growth-harness.js';
import { AUDIT_PATH, CORPUS_PATH, FakeCorpusRepo } from './corpus-repo.js';

useHttpMocks();

const temp = tempDirs('seccoder-growth-audit-');
afterAll(() => temp.cleanup());

async function corpusFolder(): Promise<string> {
  const dir = temp.make();
  await appendEntries(dir, await snippetEntries(SNIPPETS.slice(0, 4)));
  return dir;
}

async function auditOf(dir: string): Promise<AuditRecord[]> {
  const text = await readFile(join(dir, 'audit.jsonl'), 'utf8').catch(() => '');
  const { records, problems } = parseAudit(text, 'audit.jsonl');
  expect(problems).toEqual([]);
  return records;
}

const VIEWS_VIA = { kind: 'pull-request', repo: 'acme/shop', pullRequest: 12, url: 'https://github.com/acme/shop/pull/12' };

describe('growth.mode: direct, the audit trail', () => {
  it('records each added function with who merged it, the pull request, the entry and its gate results; a redelivery adds no record', async () => {
    const dir = await corpusFolder();
    const run = growth(dir);
    const posted: string[] = [];
    mockPeople();
    mockMergeReads(VIEWS_PULL, { alertLine: 12 });
    mockComment(VIEWS_PULL, posted);

    const result = await deliver(run, mergeEvent(VIEWS_PULL), 'merge-12', undefined);

    expect(result).toMatchObject({ status: 'grown', commented: true });
    const entry = parseCorpusJsonl(await readFile(join(dir, 'corpus.jsonl'), 'utf8'), 'corpus.jsonl').entries.at(-1);
    expect(await auditOf(dir)).toEqual([
      {
        at: NOW.toISOString(),
        action: 'added',
        actor: MERGER,
        via: VIEWS_VIA,
        entryId: entry?.id,
        sha256: entry?.sha256,
        language: 'python',
        cwe: ['CWE-89'],
        path: 'app/views.py',
        function: 'user_by_email',
        gates: [
          { gate: 'suppression comments', passed: true },
          { gate: 'bandit', passed: true },
        ],
      },
    ]);
    expect(run.retrievals()).toBe(1);

    // The same merge delivered again (another delivery id, another process): the entry is found in
    // the corpus, the comment on the pull request, and the record in the trail.
    mockPeople();
    mockMergeReads(VIEWS_PULL, { alertLine: 12 });
    mockComment(VIEWS_PULL, posted, [{ id: 912, body: posted[0], user: { login: BOT_LOGIN, type: 'Bot' } }]);
    const again = await deliver(growth(dir), mergeEvent(VIEWS_PULL), 'merge-12-redelivered', undefined);
    expect(again).toMatchObject({ status: 'grown', added: [], commented: false });
    expect(await auditOf(dir)).toHaveLength(1);
    expect(posted).toHaveLength(1);
  });

  it('records each refusal with its gate and reason: the analyzers (with what each said), the size cap, a duplicate; once each', async () => {
    const dir = await corpusFolder();
    const stillVulnerable = { ...VIEWS_PULL, after: VIEWS_PULL.before.replace('conn.cursor()', 'conn.cursor()  # reviewed') };
    mockPeople(2);
    mockMergeReads(stillVulnerable, { alertLine: 12 });
    mockMergeReads(stillVulnerable, { alertLine: 12 });
    const run = growth(dir);
    await deliver(run, mergeEvent(stillVulnerable), 'merge-vulnerable', undefined);
    // Redelivered: refused again, recorded once.
    await deliver(run, mergeEvent(stillVulnerable), 'merge-vulnerable-again', undefined);
    const [analyzers, ...rest] = await auditOf(dir);
    expect(rest).toEqual([]);
    expect(analyzers).toMatchObject({
      action: 'refused',
      actor: MERGER,
      via: VIEWS_VIA,
      language: 'python',
      cwe: ['CWE-89'],
      path: 'app/views.py',
      function: 'user_by_email',
      reason: expect.stringMatching(/^analyzer bandit reports B608 \(CWE-89\) on line \d+$/),
      gates: [
        { gate: 'suppression comments', passed: true },
        { gate: 'bandit', passed: false, detail: expect.stringMatching(/^B608 \(line \d+\): /) },
      ],
    });
    expect(analyzers?.sha256).toMatch(/^[0-9a-f]{64}$/);
    expect(analyzers?.entryId).toBeUndefined();

    // Over the size cap: refused before any analyzer runs.
    mockPeople();
    mockMergeReads(TOOLS_PULL);
    await deliver(growth(dir, { maxEntryChars: 40 }), mergeEvent(TOOLS_PULL), 'merge-13', undefined);
    expect((await auditOf(dir)).at(-1)).toMatchObject({
      action: 'refused',
      via: { repo: 'acme/shop', pullRequest: 13, url: 'https://github.com/acme/shop/pull/13' },
      path: 'app/tools.py',
      function: 'disk_usage',
      reason: expect.stringContaining('is over the cap of 40'),
      gates: [{ gate: 'size', passed: false }],
    });
  });

  it('records a function another pull request already added as a duplicate', async () => {
    const dir = await corpusFolder();
    const posted: string[] = [];
    mockPeople();
    mockMergeReads(VIEWS_PULL, { alertLine: 12 });
    mockComment(VIEWS_PULL, posted);
    await deliver(growth(dir), mergeEvent(VIEWS_PULL), 'merge-12', undefined);

    const sameFix = { ...VIEWS_PULL, number: 15, headSha: 'c'.repeat(40), mergeSha: 'd'.repeat(40) };
    mockPeople();
    mockMergeReads(sameFix, { alertLine: 12 });
    const result = await deliver(growth(dir), mergeEvent(sameFix), 'merge-15', undefined);
    expect(result).toMatchObject({ status: 'grown', added: [], commented: false });
    const records = await auditOf(dir);
    expect(records.map((record) => [record.action, record.via.pullRequest, record.reason])).toEqual([
      ['added', 12, undefined],
      ['refused', 15, 'already in the corpus'],
    ]);
    expect(records[1]).toMatchObject({ sha256: records[0]?.sha256, gates: [{ gate: 'duplicate', passed: false }] });
  });

  it('with the repository store, the trail is committed beside the corpus on the default branch', async () => {
    const seed = makeEntry('def ping():\n    return "pong"');
    const repo = new FakeCorpusRepo({ [CORPUS_PATH]: `${serializeEntry(seed)}\n` }, BOT_LOGIN);
    const posted: string[] = [];
    mockPeople();
    mockMergeReads(VIEWS_PULL, { alertLine: 12 });
    mockComment(VIEWS_PULL, posted);

    await deliver(growth(temp.make()), mergeEvent(VIEWS_PULL), 'merge-12', { corpus: { store: 'repository' } });

    const added = repo.entries('main').at(-1);
    expect(added).toMatchObject({ source: { pullRequest: 12 } });
    expect(repo.audit()).toEqual([expect.objectContaining({ action: 'added', actor: MERGER, via: VIEWS_VIA, entryId: added?.id })]);
    expect(repo.file('main', AUDIT_PATH)?.split('\n').filter(Boolean)).toHaveLength(1);
    expect(repo.refs.has('seccoder/growth')).toBe(false);
    expect(posted[0]).toContain('added 1 secure function');
  });
});
