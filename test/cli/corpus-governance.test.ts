// Corpus governance from the command line, as a user runs it: `corpus add` leaves an audit trail
// with the gates' results (additions and refusals), `corpus retire|restore` take an entry out of
// retrieval and put it back, `corpus stats` counts the retired, and `corpus audit` reads the trail.
import { readFileSync, writeFileSync } from 'node:fs';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { AuditRecord } from '../../src/corpus/audit.js';
import type { CorpusEntry } from '../../src/corpus/entry.js';
import { appendEntries, snippetEntries } from '../fixtures/retrieval-corpus.js';
import { SNIPPETS } from '../fixtures/secure-snippets.js';
import { ROOT, runCli, type CliResult } from '../helpers/cli.js';
import { useTempDirs } from '../helpers/temp-dir.js';

const tempDir = useTempDirs();
const ENV = { SECCODER_CORPUS: '', SECCODER_DEBUG: '' };
const ACTOR = `cli:${userInfo().username}`;

const SAFE = 'def find_member(cur, name):\n    cur.execute("SELECT id FROM members WHERE name = ?", (name,))\n    return cur.fetchone()\n';
const SQLI = 'def find_member(cur, name):\n    cur.execute("SELECT id FROM members WHERE name = \'" + name + "\'")\n';

const cli = (args: string[], cwd = ROOT): Promise<CliResult> => runCli(args, { cwd, env: ENV });

let snippets: CorpusEntry[];
beforeAll(async () => {
  snippets = await snippetEntries(SNIPPETS);
});

function fileWith(name: string, code: string): string {
  const path = join(tempDir(), name);
  writeFileSync(path, code);
  return path;
}

/** A corpus of the user's, already holding the test snippets. */
async function userCorpus(): Promise<string> {
  const dir = tempDir();
  await appendEntries(dir, snippets);
  return dir;
}

async function auditJson(dir: string, ...args: string[]): Promise<AuditRecord[]> {
  const result = await cli(['corpus', 'audit', '--json', '--corpus', dir, ...args]);
  expect(result.stderr).toBe('');
  expect(result.code).toBe(0);
  return result.stdout
    .trim()
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line) as AuditRecord);
}

/** One line on stderr, `seccoder: …`, exit code 1, nothing on stdout, no stack trace. */
function expectOneLineError(result: CliResult, message: RegExp): void {
  expect(result.code).toBe(1);
  expect(result.stdout).toBe('');
  expect(result.stderr).toMatch(/^seccoder: [^\n]+\n$/);
  expect(result.stderr).toMatch(message);
  expect(result.stderr).not.toMatch(/\n\s+at /);
}

// Each step spawns the CLI (about a second each, more on a loaded machine): a test makes up to a dozen.
describe('corpus governance from the command line', { timeout: 180_000 }, () => {
  it('add audits each addition with its gates, and each refusal (by the gate, or a duplicate) with its reason', async () => {
    const dir = await userCorpus();
    const corpusBefore = readFileSync(join(dir, 'corpus.jsonl'), 'utf8');

    // The gate refuses the second file: nothing is added (all or none), the refusal is audited.
    const refused = await cli(['corpus', 'add', fileWith('find_member.py', SAFE), fileWith('sqli.py', SQLI), '--cwe', 'CWE-89', '--corpus', dir]);
    expectOneLineError(refused, /sqli\.py: not added: analyzer bandit reports B608 \(CWE-89\) on line 2$/m);
    expect(readFileSync(join(dir, 'corpus.jsonl'), 'utf8')).toBe(corpusBefore);
    const [refusal, ...others] = await auditJson(dir);
    expect(others).toEqual([]);
    expect(refusal).toMatchObject({
      action: 'refused',
      actor: ACTOR,
      via: { kind: 'command', command: 'seccoder corpus add find_member.py sqli.py' },
      language: 'python',
      cwe: ['CWE-89'],
      path: 'sqli.py',
      reason: 'analyzer bandit reports B608 (CWE-89) on line 2',
      gates: [
        { gate: 'suppression comments', passed: true },
        { gate: 'bandit', passed: false, detail: expect.stringMatching(/^B608 \(line 2\): /) },
      ],
    });
    expect(refusal?.sha256).toMatch(/^[0-9a-f]{64}$/);
    expect(refusal).not.toHaveProperty('entryId');

    const added = await cli(['corpus', 'add', fileWith('find_member.py', SAFE), '--cwe', 'CWE-89', '--corpus', dir]);
    expect(added.stderr).toBe('');
    expect(added.code).toBe(0);
    const id = /^added (manual-[0-9a-f]{16}) /.exec(added.stdout)?.[1];
    expect(id).toBeDefined();

    const duplicate = await cli(['corpus', 'add', fileWith('find_member.py', SAFE), '--corpus', dir]);
    expectOneLineError(duplicate, /find_member\.py: already in the corpus \(same normalized code\)$/m);

    // Newest first: the duplicate's refusal, the addition, the gate's refusal.
    const trail = await auditJson(dir);
    expect(trail.map((record) => record.action)).toEqual(['refused', 'added', 'refused']);
    expect(trail[1]).toMatchObject({
      action: 'added',
      actor: ACTOR,
      via: { kind: 'command', command: 'seccoder corpus add find_member.py' },
      entryId: id,
      language: 'python',
      cwe: ['CWE-89'],
      path: 'find_member.py',
      gates: [
        { gate: 'suppression comments', passed: true },
        { gate: 'bandit', passed: true },
      ],
    });
    expect(trail[0]).toMatchObject({ action: 'refused', path: 'find_member.py', reason: 'already in the corpus', sha256: trail[1]?.sha256 });
    // The trail never holds the code, nor where the user keeps it.
    const raw = readFileSync(join(dir, 'audit.jsonl'), 'utf8');
    expect(raw).not.toContain('SELECT id FROM members');
    expect(raw).not.toContain(tmpdir());

    // The same trail as text: one line a record, newest first, with the gates.
    const text = await cli(['corpus', 'audit', '--corpus', dir]);
    expect(text.code).toBe(0);
    const lines = text.stdout.trim().split('\n');
    expect(lines).toHaveLength(3);
    expect(lines[1]).toMatch(
      new RegExp(
        `^\\d{4}-\\d\\d-\\d\\dT[\\d:.]+Z  added +${id} find_member\\.py \\(python, CWE-89\\)  by ${ACTOR}  via seccoder corpus add find_member\\.py  gates: suppression comments passed, bandit passed$`,
      ),
    );
    expect(lines[2]).toMatch(
      / refused +sqli\.py \(python, CWE-89\) .* reason: analyzer bandit reports B608 \(CWE-89\) on line 2 {2}gates: suppression comments passed, bandit failed$/,
    );

    // Filters: by action, and the newest n.
    expect((await auditJson(dir, '--action', 'added')).map((record) => record.entryId)).toEqual([id]);
    expect(await auditJson(dir, '--limit', '1')).toEqual(trail.slice(0, 1));
    expect(await auditJson(dir, '--action', 'refused', '--limit', '5')).toEqual([trail[0], trail[2]]);
  });

  it('retire takes an entry out of stats and retrieval without a rebuild; restore puts it back', async () => {
    const dir = await userCorpus();
    const file = fileWith('find_member.py', SAFE);
    expect((await cli(['corpus', 'add', file, '--cwe', 'CWE-89', '--corpus', dir])).code).toBe(0);
    const retrieve = async () => {
      const result = await cli(['retrieve', '--file', file, '--corpus', dir, '--json', '-k', '50']);
      expect(result.code).toBe(0);
      return { stderr: result.stderr, ids: (JSON.parse(result.stdout) as { results: { id: string }[] }).results.map((demo) => demo.id) };
    };
    const before = await retrieve();
    const id = before.ids[0] as string;
    expect(id).toMatch(/^manual-/);
    expect(before.ids).toHaveLength(snippets.length + 1);

    const retired = await cli(['corpus', 'retire', id, '--reason', 'teaches the wrong table', '--corpus', dir]);
    expect(retired.stderr).toBe('');
    expect(retired.code).toBe(0);
    expect(retired.stdout).toBe(`retired ${id} (python, CWE-89): teaches the wrong table\n`);

    const stats = JSON.parse((await cli(['corpus', 'stats', '--json', '--corpus', dir])).stdout) as {
      entries: number;
      retired: number;
      live: number;
      byCwe: Record<string, number>;
    };
    expect(stats).toMatchObject({ entries: snippets.length + 1, retired: 1, live: snippets.length });
    // The tables count live entries: the retired CWE-89 entry is not among them.
    expect(stats.byCwe['CWE-89']).toBe(snippets.filter((entry) => entry.cwe.includes('CWE-89')).length);
    const table = await cli(['corpus', 'stats', '--corpus', dir]);
    expect(table.stdout).toMatch(new RegExp(`\\nentries: ${snippets.length + 1} \\(1 retired, 0 without a CWE\\), `));
    expect(table.stdout).toMatch(new RegExp(`\\nthe tables count the ${snippets.length} live entries`));

    const after = await retrieve();
    // The index was loaded as it was (nothing said on stderr), and the entry is gone.
    expect(after.stderr).toBe('');
    expect(after.ids).not.toContain(id);
    expect(after.ids).toHaveLength(snippets.length);

    const restored = await cli(['corpus', 'restore', id, '--corpus', dir]);
    expect(restored.stdout).toBe(`restored ${id} (python, CWE-89)\n`);
    expect((await retrieve()).ids[0]).toBe(id);
    expect((await auditJson(dir, '--limit', '2')).map((record) => [record.action, record.entryId, record.actor, record.via.command])).toEqual([
      ['restored', id, ACTOR, `seccoder corpus restore ${id}`],
      ['retired', id, ACTOR, `seccoder corpus retire ${id}`],
    ]);
  });

  it('says in one line what is wrong, and exits non-zero, for a bad id, a missing reason, a bad flag or the seed corpus', async () => {
    const dir = await userCorpus();
    const id = snippets[0]!.id;
    const cases: [string[], RegExp, string?][] = [
      [
        ['corpus', 'retire', 'manual-doesnotexist', '--reason', 'x', '--corpus', dir],
        /^seccoder: no entry manual-doesnotexist in .*corpus\.jsonl \(.*case-sensitive\)$/m,
      ],
      [['corpus', 'retire', id, '--corpus', dir], new RegExp(`^seccoder: retiring ${id} needs a reason \\(pass --reason "\\.\\.\\."`, 'm')],
      [['corpus', 'restore', id, '--corpus', dir], new RegExp(`^seccoder: ${id} is not retired$`, 'm')],
      [['corpus', 'audit', '--limit', 'ten', '--corpus', dir], /^seccoder: --limit must be a positive whole number, got "ten"$/m],
      [['corpus', 'audit', '--limit', '0', '--corpus', dir], /^seccoder: --limit must be a positive whole number, got "0"$/m],
      [
        ['corpus', 'audit', '--action', 'deleted', '--corpus', dir],
        /^seccoder: --action must be one of added, refused, retired, restored, proposed, proposal-closed, got "deleted"$/m,
      ],
      [['corpus', 'audit', '--corpus', join(dir, 'nowhere')], /^seccoder: corpus not found at .*nowhere/m],
      // The bundled seed is never written to, its trail included (run from SecCoder's own folder).
      [['corpus', 'retire', id, '--reason', 'x'], /is the seed corpus bundled with SecCoder/, ROOT],
    ];
    for (const [args, message, cwd] of cases) expectOneLineError(await cli(args, cwd ?? dir), message);

    // Retiring twice: the second is told who retired it.
    expect((await cli(['corpus', 'retire', id, '--reason', 'first', '--corpus', dir])).code).toBe(0);
    expectOneLineError(
      await cli(['corpus', 'retire', id, '--reason', 'second', '--corpus', dir]),
      new RegExp(`^seccoder: ${id} is already retired \\(retired by ${ACTOR} at [^:]+:[^:]+:[^:]+: first\\)$`, 'm'),
    );
    expect((await auditJson(dir)).map((record) => record.action)).toEqual(['retired']);
  });

  it('prints a trail others wrote as one line a record, control characters removed, and warns of a damaged line by number', async () => {
    const dir = await userCorpus();
    const forged: AuditRecord = {
      at: '2026-05-01T10:00:00.000Z',
      action: 'refused',
      actor: 'octo-bot',
      via: { kind: 'pull-request', repo: 'acme/shop', pullRequest: 42 },
      path: 'evil\n2026-05-02T00:00:00.000Z  retired  everything.py',
      reason: 'clear screen \u001b[2J\u001b[Hhere',
    };
    writeFileSync(join(dir, 'audit.jsonl'), `${JSON.stringify(forged)}\n{not json\n`);
    const result = await cli(['corpus', 'audit', '--corpus', dir]);
    expect(result.code).toBe(0);
    expect(result.stdout).toBe(
      '2026-05-01T10:00:00.000Z  refused          evil 2026-05-02T00:00:00.000Z retired everything.py  by octo-bot  via acme/shop#42  reason: clear screen [2J [Hhere\n',
    );
    expect(result.stderr).toMatch(/^warning: \S+audit\.jsonl:2: skipped record: not valid JSON \(.+\)\n$/);
  });

  it('a duplicate of a retired entry is told how to bring it back', async () => {
    const dir = await userCorpus();
    const file = fileWith('find_member.py', SAFE);
    const id = /^added (\S+)/.exec((await cli(['corpus', 'add', file, '--corpus', dir])).stdout)?.[1] as string;
    expect((await cli(['corpus', 'retire', id, '--reason', 'drill', '--corpus', dir])).code).toBe(0);
    expectOneLineError(
      await cli(['corpus', 'add', file, '--corpus', dir]),
      new RegExp(
        `find_member\\.py: already in the corpus \\(same normalized code\\) \\(${id} is retired; seccoder corpus restore ${id} brings it back\\)$`,
        'm',
      ),
    );
    expect((await auditJson(dir, '--limit', '1'))[0]).toMatchObject({ action: 'refused', reason: `already in the corpus, retired as ${id}` });
  });
});
