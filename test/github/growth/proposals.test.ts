// growth.mode: pull-request: a merged fix's functions are proposed on `seccoder/growth` of the corpus
// repository in one pull request (never committed to its default branch), fixes pile up on that
// pull request, its merge admits them (`added`, by whoever merged) and its close refuses them
// (`proposal-closed`); concurrent growth opens one pull request. The corpus repository is a fake
// kept in memory behind nock (corpus-repo.ts); acme/shop is mocked per route; bandit is real.
import { afterAll, describe, expect, it } from 'vitest';
import type { AuditRecord } from '../../../src/corpus/audit.js';
import { serializeEntry } from '../../../src/corpus/jsonl.js';
import { cweName } from '../../../src/cwe/names.js';
import { jobForEvent } from '../../../src/github/event-jobs.js';
import { PROPOSAL_BRANCH } from '../../../src/github/growth/grow-corpus.js';
import { PROPOSAL_MARKER } from '../../../src/github/growth/proposal-body.js';
import { GROWTH_MARKER } from '../../../src/github/growth/growth-comment.js';
import { MERGER, pullRequestClosed, TOOLS_PULL, VIEWS_PULL } from '../../fixtures/github/merge-events.js';
import { tempDirs } from '../../fixtures/retrieval-corpus.js';
import { makeEntry } from '../../helpers/entries.js';
import { useHttpMocks } from '../../helpers/http-mocks.js';
import { AUDIT_PATH, CORPUS_PATH, EXAMPLES_PATH, FakeCorpusRepo } from './corpus-repo.js';
import { BOT_LOGIN, deliver, growth, mergeEvent, mockComment, mockMergeReads, mockPeople, NOW } from './growth-harness.js';

useHttpMocks();

const temp = tempDirs('seccoder-proposals-');
afterAll(() => temp.cleanup());

const CONFIG = { corpus: { store: 'repository' }, growth: { mode: 'pull-request' } };
const SEED = [makeEntry('def ping():\n    return "pong"'), makeEntry('def add(a, b):\n    return a + b')];
const PROPOSAL_URL = 'https://github.com/acme/.seccoder/pull/7';

function corpusRepo(): FakeCorpusRepo {
  return new FakeCorpusRepo({ [CORPUS_PATH]: SEED.map((entry) => `${serializeEntry(entry)}\n`).join(''), 'README.md': '# corpus\n' }, BOT_LOGIN);
}

/** Merges VIEWS_PULL (a fixed CodeQL alert) in acme/shop under growth.mode: pull-request. */
async function mergeViews(run = growth(temp.make()), posted: string[] = [], delivery = 'merge-12') {
  mockPeople();
  mockMergeReads(VIEWS_PULL, { alertLine: 12 });
  mockComment(VIEWS_PULL, posted);
  return deliver(run, mergeEvent(VIEWS_PULL), delivery, CONFIG);
}

/** Merges TOOLS_PULL (labelled security-fix, code scanning off). */
async function mergeTools(run = growth(temp.make()), posted: string[] = []) {
  mockPeople();
  mockMergeReads(TOOLS_PULL);
  mockComment(TOOLS_PULL, posted);
  return deliver(run, mergeEvent(TOOLS_PULL), 'merge-13', CONFIG);
}

function actions(records: readonly AuditRecord[]): string[][] {
  return records.map((record) => [record.action, `${record.via.repo ?? ''}#${record.via.pullRequest ?? ''}`, record.function ?? '']);
}

describe('growth.mode: pull-request, proposing', () => {
  it('commits nothing to the default branch: the entry goes on seccoder/growth, in one pull request listing it with its gates', async () => {
    const repo = corpusRepo();
    const posted: string[] = [];
    const result = await mergeViews(growth(temp.make()), posted);

    // The default branch's corpus is as it was; only the audit trail was written there.
    expect(repo.corpusCommitsOnMain()).toEqual([]);
    expect(repo.entries('main')).toEqual(SEED);
    const proposed = repo.entries(PROPOSAL_BRANCH);
    expect(proposed.slice(0, 2)).toEqual(SEED);
    expect(proposed.slice(2)).toEqual([
      expect.objectContaining({ origin: 'merged-fix', cwe: ['CWE-89'], source: expect.objectContaining({ pullRequest: 12, function: 'user_by_email' }) }),
    ]);
    const entry = proposed[2];
    // Its labelled examples go with it, onto the branch.
    expect(
      repo
        .file(PROPOSAL_BRANCH, EXAMPLES_PATH)
        ?.split('\n')
        .filter(Boolean)
        .map((line) => (JSON.parse(line) as { kind: string }).kind),
    ).toEqual(['vulnerable', 'prefix', 'fix-lines']);
    expect(repo.file('main', EXAMPLES_PATH)).toBeUndefined();
    expect(repo.file(PROPOSAL_BRANCH, AUDIT_PATH)).toBeUndefined();

    expect(repo.pulls).toHaveLength(1);
    const pull = repo.pulls[0];
    expect(pull).toMatchObject({ number: 7, state: 'open', title: 'SecCoder: 1 proposed corpus entry', head: { ref: PROPOSAL_BRANCH }, base: { ref: 'main' } });
    expect(pull?.body.startsWith(PROPOSAL_MARKER)).toBe(true);
    const row = pull?.body.split('\n').find((line) => line.includes('user_by_email'));
    expect(row).toBe(
      `| \`${entry?.id}\`<br>[\`user_by_email\` in \`app/views.py\`](https://github.com/acme/shop/blob/${VIEWS_PULL.mergeSha}/app/views.py#L8-L13) | python | ` +
        `CWE-89 Improper Neutralization of Special Elements used in an SQL Command \\('SQL Injection'\\) | [acme/shop\\#12](https://github.com/acme/shop/pull/12) | ✅ suppression comments<br>✅ bandit |`,
    );
    expect(cweName('CWE-89')).toContain('SQL Injection');

    expect(repo.audit()).toEqual([
      {
        at: NOW.toISOString(),
        action: 'proposed',
        actor: MERGER,
        via: { kind: 'pull-request', repo: 'acme/shop', pullRequest: 12, url: 'https://github.com/acme/shop/pull/12' },
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
    expect(result).toMatchObject({ status: 'grown', added: [], proposed: [entry], proposal: { repository: 'acme/.seccoder', number: 7, url: PROPOSAL_URL } });
    expect(posted).toEqual([
      [
        GROWTH_MARKER,
        "**SecCoder** proposed 1 secure function from this pull request for the organization's secure-code corpus in [acme/.seccoder\\#7](https://github.com/acme/.seccoder/pull/7); it joins it when that pull request is merged.",
        '',
        '| function | CWE |',
        '| --- | --- |',
        `| [\`user_by_email\` in \`app/views.py\`](https://github.com/acme/shop/blob/${VIEWS_PULL.mergeSha}/app/views.py#L8-L13) | CWE-89 |`,
      ].join('\n'),
    ]);
  });

  it('a second merged fix joins the same branch and pull request (no second one), whose title and list grow', async () => {
    const repo = corpusRepo();
    await mergeViews();
    await mergeTools();

    expect(repo.pulls).toHaveLength(1);
    expect(repo.refWrites(PROPOSAL_BRANCH)).toHaveLength(2);
    expect(repo.corpusCommitsOnMain()).toEqual([]);
    expect(
      repo
        .entries(PROPOSAL_BRANCH)
        .slice(2)
        .map((entry) => entry.source.function),
    ).toEqual(['user_by_email', 'disk_usage']);
    const pull = repo.pulls[0];
    expect(pull?.title).toBe('SecCoder: 2 proposed corpus entries');
    expect(pull?.body).toContain('[acme/shop\\#12](https://github.com/acme/shop/pull/12)');
    expect(pull?.body).toContain('[acme/shop\\#13](https://github.com/acme/shop/pull/13)');
    expect(actions(repo.audit())).toEqual([
      ['proposed', 'acme/shop#12', 'user_by_email'],
      ['proposed', 'acme/shop#13', 'disk_usage'],
    ]);
  });

  it('a redelivered merge proposes nothing twice: same branch tip, same pull request, no second record or comment', async () => {
    const repo = corpusRepo();
    const posted: string[] = [];
    await mergeViews(growth(temp.make()), posted);
    const tip = repo.refs.get(PROPOSAL_BRANCH);
    mockPeople();
    mockMergeReads(VIEWS_PULL, { alertLine: 12 });
    mockComment(VIEWS_PULL, posted, [{ id: 912, body: posted[0], user: { login: BOT_LOGIN, type: 'Bot' } }]);
    const again = await deliver(growth(temp.make()), mergeEvent(VIEWS_PULL), 'merge-12-redelivered', CONFIG);

    expect(again).toMatchObject({ status: 'grown', proposed: [], rejected: [], commented: false, proposal: { number: 7 } });
    expect(repo.refs.get(PROPOSAL_BRANCH)).toBe(tip);
    expect(repo.pulls).toHaveLength(1);
    expect(repo.audit()).toHaveLength(1);
    expect(posted).toHaveLength(1);
  });

  it('two fixes merged at once open one pull request that lists both (the branch and the pull request are compare-and-swap)', async () => {
    const repo = corpusRepo();
    mockPeople(2);
    mockMergeReads(VIEWS_PULL, { alertLine: 12 });
    mockMergeReads(TOOLS_PULL);
    const posted: string[] = [];
    mockComment(VIEWS_PULL, posted);
    mockComment(TOOLS_PULL, posted);
    const [views, tools] = await Promise.all([
      deliver(growth(temp.make()), mergeEvent(VIEWS_PULL), 'merge-12', CONFIG),
      deliver(growth(temp.make()), mergeEvent(TOOLS_PULL), 'merge-13', CONFIG),
    ]);

    expect(repo.pulls).toHaveLength(1);
    expect(views).toMatchObject({ proposal: { number: 7 } });
    expect(tools).toMatchObject({ proposal: { number: 7 } });
    expect(
      new Set(
        repo
          .entries(PROPOSAL_BRANCH)
          .slice(2)
          .map((entry) => entry.source.function),
      ),
    ).toEqual(new Set(['user_by_email', 'disk_usage']));
    expect(repo.pulls[0]?.title).toBe('SecCoder: 2 proposed corpus entries');
    expect(repo.pulls[0]?.body).toContain('user_by_email');
    expect(repo.pulls[0]?.body).toContain('disk_usage');
  });

  it('another instance creating the branch first (GitHub: 422 "Reference already exists") is built on, not overwritten', async () => {
    const repo = corpusRepo();
    const foreign = {
      ...makeEntry('def pong():\n    return "ping"'),
      origin: 'merged-fix' as const,
      source: { repo: 'acme/api', pullRequest: 4, function: 'pong' },
    };
    repo.beforeRefWrite = (branch) => {
      if (branch !== PROPOSAL_BRANCH) return;
      repo.beforeRefWrite = undefined;
      repo.push(PROPOSAL_BRANCH, { [CORPUS_PATH]: `${repo.file('main', CORPUS_PATH) ?? ''}${serializeEntry(foreign)}\n` }, 'the other instance');
    };
    await mergeViews();

    const creates = repo.requests.filter((request) => request.method === 'POST' && request.path.endsWith('/git/refs'));
    expect(creates).toHaveLength(1);
    // Refused (the branch was there), then moved as a fast-forward from the other instance's commit.
    expect(repo.refWrites(PROPOSAL_BRANCH).map((request) => request.method)).toEqual(['POST', 'PATCH']);
    expect(
      repo
        .entries(PROPOSAL_BRANCH)
        .slice(2)
        .map((entry) => entry.source.function),
    ).toEqual(['pong', 'user_by_email']);
    expect(repo.pulls).toHaveLength(1);
    expect(repo.pulls[0]?.title).toBe('SecCoder: 2 proposed corpus entries');
    // The other instance's entry has no record yet: its gates are not known here.
    expect(repo.pulls[0]?.body.split('\n').find((line) => line.includes('`pong`'))).toMatch(
      /\[acme\/api\\#4\]\(https:\/\/github\.com\/acme\/api\/pull\/4\) \| — \|$/,
    );
  });

  it('a pull request opened by another run between the look-up and the create (GitHub: 422 "already exists") is read back and updated', async () => {
    const repo = corpusRepo();
    repo.beforeCreatePull = () => {
      repo.pulls.push({
        number: 6,
        title: 'SecCoder: 1 proposed corpus entry',
        body: 'stale',
        state: 'open',
        merged: false,
        head: { ref: PROPOSAL_BRANCH, sha: repo.refs.get(PROPOSAL_BRANCH) as string },
        base: { ref: 'main', sha: repo.refs.get('main') as string },
        user: { login: BOT_LOGIN, type: 'Bot' },
        merge_commit_sha: null,
        merged_by: null,
      });
    };
    const result = await mergeViews();
    expect(repo.pulls.map((pull) => pull.number)).toEqual([6]);
    expect(repo.pulls[0]?.body).toContain('user_by_email');
    expect(result).toMatchObject({ proposal: { number: 6, url: 'https://github.com/acme/.seccoder/pull/6' } });
  });

  it('keeps the proposal mergeable when the default branch moves: each commit also descends from its head', async () => {
    const repo = corpusRepo();
    await mergeViews();
    // Someone adds an entry on the default branch by hand, after the proposal was opened.
    const manual = makeEntry('def pong():\n    return "ping"');
    repo.push('main', { [CORPUS_PATH]: `${repo.file('main', CORPUS_PATH) ?? ''}${serializeEntry(manual)}\n` });
    await mergeTools();

    const tip = repo.refs.get(PROPOSAL_BRANCH) as string;
    expect(repo.commits.get(tip)?.parents).toHaveLength(2);
    // The second parent is the default branch's head the commit was built on (the audit trail has moved it on since).
    const base = repo.commits.get(tip)?.parents[1] as string;
    expect(repo.entries(base).map((entry) => entry.id)).toEqual([SEED[0]?.id, SEED[1]?.id, manual.id]);
    // The tip's corpus is the default branch's, then the proposal.
    expect(repo.entries(PROPOSAL_BRANCH).map((entry) => entry.source.function ?? entry.id)).toEqual([
      SEED[0]?.id,
      SEED[1]?.id,
      manual.id,
      'user_by_email',
      'disk_usage',
    ]);
  });
});

describe('growth.mode: pull-request, the proposal ends', () => {
  it('merged: each entry gets an `added` record by whoever merged it, via the proposal; a redelivery records nothing more', async () => {
    const repo = corpusRepo();
    await mergeViews();
    await mergeTools();
    const run = growth(temp.make());

    const event = repo.merge(7, 'sec-lead');
    const result = await deliver(run, event, 'proposal-merged', undefined);

    const joined = repo.entries('main').slice(2);
    expect(joined.map((entry) => entry.source.function)).toEqual(['user_by_email', 'disk_usage']);
    const via = { kind: 'pull-request', repo: 'acme/.seccoder', pullRequest: 7, url: PROPOSAL_URL };
    const added = repo.audit().filter((record) => record.action === 'added');
    expect(added).toEqual(
      joined.map((entry) =>
        expect.objectContaining({
          action: 'added',
          actor: 'sec-lead',
          via,
          entryId: entry.id,
          sha256: entry.sha256,
          gates: expect.arrayContaining([{ gate: 'bandit', passed: true }]),
        }),
      ),
    );
    expect(result).toMatchObject({ status: 'grown', added: joined, rejected: [], proposal: { number: 7, url: PROPOSAL_URL } });
    expect(run.retrievals()).toBe(1);

    const before = repo.audit().length;
    await deliver(growth(temp.make()), event, 'proposal-merged-again', undefined);
    expect(repo.audit()).toHaveLength(before);

    // The next fix starts a new proposal on the same branch, holding only itself.
    const posted: string[] = [];
    const sameCodeElsewhere = { ...TOOLS_PULL, number: 21, path: 'app/disk.py', headSha: 'e'.repeat(40), mergeSha: 'f'.repeat(40) };
    mockPeople();
    mockMergeReads(sameCodeElsewhere);
    const next = await deliver(growth(temp.make()), mergeEvent(sameCodeElsewhere), 'merge-21', CONFIG);
    expect(next).toMatchObject({ status: 'grown', proposed: [], rejected: [{ gate: 'duplicate', reason: 'already in the corpus' }] });
    expect(repo.pulls.filter((pull) => pull.state === 'open')).toEqual([]);
    expect(posted).toEqual([]);
  });

  it('closed: each entry gets a `proposal-closed` record ("proposal closed by <login>"), never joins, and is not carried into the next proposal', async () => {
    const repo = corpusRepo();
    await mergeViews();
    const mainBefore = repo.file('main', CORPUS_PATH);

    const result = await deliver(growth(temp.make()), repo.close(7, 'sec-lead'), 'proposal-closed', undefined);

    expect(repo.file('main', CORPUS_PATH)).toBe(mainBefore);
    const closed = repo.audit().at(-1);
    expect(closed).toMatchObject({
      action: 'proposal-closed',
      actor: 'sec-lead',
      via: { kind: 'pull-request', repo: 'acme/.seccoder', pullRequest: 7, url: PROPOSAL_URL },
      function: 'user_by_email',
      reason: 'proposal closed by sec-lead',
    });
    expect(result).toMatchObject({
      status: 'grown',
      added: [],
      rejected: [{ gate: 'review', function: 'user_by_email', reason: 'proposal closed by sec-lead' }],
    });

    await mergeTools();
    const next = repo.pulls.find((pull) => pull.state === 'open');
    expect(next?.number).toBe(8);
    expect(next?.title).toBe('SecCoder: 1 proposed corpus entry');
    expect(next?.body).not.toContain('user_by_email');
    expect(
      repo
        .entries(PROPOSAL_BRANCH)
        .slice(2)
        .map((entry) => entry.source.function),
    ).toEqual(['disk_usage']);
    expect(actions(repo.audit())).toEqual([
      ['proposed', 'acme/shop#12', 'user_by_email'],
      ['proposal-closed', 'acme/.seccoder#7', 'user_by_email'],
      ['proposed', 'acme/shop#13', 'disk_usage'],
    ]);
  });

  it('an entry deleted from the branch by hand is closed as taken out when the proposal is merged', async () => {
    const repo = corpusRepo();
    await mergeViews();
    await mergeTools();
    // A reviewer drops user_by_email from the proposal before merging it.
    const lines = (repo.file(PROPOSAL_BRANCH, CORPUS_PATH) ?? '').split('\n').filter((line) => line !== '' && !line.includes('user_by_email'));
    repo.push(PROPOSAL_BRANCH, { [CORPUS_PATH]: `${lines.join('\n')}\n` }, 'Leave user_by_email out');

    await deliver(growth(temp.make()), repo.merge(7, 'sec-lead'), 'proposal-merged', undefined);

    expect(
      repo
        .entries('main')
        .slice(2)
        .map((entry) => entry.source.function),
    ).toEqual(['disk_usage']);
    expect(actions(repo.audit()).slice(2)).toEqual([
      ['added', 'acme/.seccoder#7', 'disk_usage'],
      ['proposal-closed', 'acme/.seccoder#7', 'user_by_email'],
    ]);
    expect(repo.audit().at(-1)?.reason).toBe('taken out of the proposal before it was merged by sec-lead');
  });
});

describe('routing and configuration', () => {
  it("routes a closed proposal (merged or not) to growth, and leaves a person's closed branch of the same name alone", () => {
    const repo = corpusRepo();
    repo.pulls.push({
      number: 7,
      title: 't',
      body: '',
      state: 'open',
      merged: false,
      head: { ref: PROPOSAL_BRANCH, sha: repo.refs.get('main') as string },
      base: { ref: 'main', sha: repo.refs.get('main') as string },
      user: { login: BOT_LOGIN, type: 'Bot' },
      merge_commit_sha: null,
      merged_by: null,
    });
    const closed = repo.close(7, 'sec-lead');
    const asked = jobForEvent('pull_request', closed, 'd-1');
    expect(asked).toMatchObject({
      job: { kind: 'growth', owner: 'acme', repo: '.seccoder', pull: { number: 7, headRef: PROPOSAL_BRANCH, merged: false, closedBy: { login: 'sec-lead' } } },
    });

    const byPerson = pullRequestClosed(VIEWS_PULL, { merged: false }) as unknown as { pull_request: { head: object } };
    byPerson.pull_request.head = { ref: PROPOSAL_BRANCH, sha: VIEWS_PULL.headSha };
    expect(jobForEvent('pull_request', byPerson, 'd-2')).toEqual({ ignored: 'not growing the corpus: pull request #12 was closed without merging' });
  });

  it('a closed pull request from seccoder/growth that SecCoder did not open records nothing', async () => {
    const repo = corpusRepo();
    await mergeViews();
    const event = repo.close(7, 'sec-lead') as { pull_request: { user: { login: string } } };
    event.pull_request.user.login = 'other-app[bot]';
    const result = await deliver(growth(temp.make()), event, 'foreign', undefined);
    expect(result).toEqual({ status: 'skipped', reason: 'pull request #7 was closed without merging' });
    expect(repo.audit()).toHaveLength(1);
  });

  it('growth.mode: pull-request with a local corpus is a config problem: nothing is read or written', async () => {
    const run = growth(temp.make());
    const result = await deliver(run, mergeEvent(VIEWS_PULL), 'merge-12', { growth: { mode: 'pull-request' } });
    expect(result).toEqual({ status: 'skipped', reason: 'invalid .github/seccoder.yml (growth.mode)' });
  });
});
