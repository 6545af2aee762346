// hardenTarget / hardenTargets end to end: a real retrieval index over a small corpus, targets
// chosen by selectTargets (from a whole file or from SARIF alerts), the real OpenAI-compatible
// client against a mocked endpoint, and the real analyzers (bandit, cppcheck, gcc, clang).
import { fileURLToPath } from 'node:url';
import nock from 'nock';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BanditAnalyzer } from '../../src/analyze/bandit.js';
import { CppcheckAnalyzer } from '../../src/analyze/cppcheck.js';
import { analyzersFor, defaultAnalyzers } from '../../src/analyze/registry.js';
import { SarifAlertSource } from '../../src/detect/sarif.js';
import { selectTargets } from '../../src/detect/targets.js';
import type { Target } from '../../src/detect/types.js';
import type { Language } from '../../src/lang/languages.js';
import { OpenAiCompatibleModel } from '../../src/model/openai-client.js';
import { openRetrievalIndex, type RetrievalIndex } from '../../src/retrieve/open-index.js';
import { Retriever, type RetrievalQuery } from '../../src/retrieve/retriever.js';
import { hardenTarget, hardenTargets, type DemonstrationSource, type TargetOutcome } from '../../src/harden/harden-target.js';
import { notCheckedNote } from '../../src/harden/analysis-note.js';
import { renderSuggestionMarkdown } from '../../src/harden/render-markdown.js';
import { checkRunOutput, type CheckRunInput } from '../../src/github/review/check-summary.js';
import { DEFAULT_SECCODER_CONFIG } from '../../src/config/schema.js';
import { appendEntries, snippetEntries, tempDirs } from '../fixtures/retrieval-corpus.js';
import {
  chatCompletion,
  FIXED_FUNCTION,
  FIXED_LINE,
  FUNCTION_END,
  FUNCTION_START,
  fencedReply,
  ORIGINAL_FUNCTION,
  VIEWS,
  VIEWS_PATH,
} from '../fixtures/review/flask-app.js';
import { SNIPPETS } from '../fixtures/secure-snippets.js';
import { useHttpMocks } from '../helpers/http-mocks.js';

const ORIGIN = 'https://models.example.test';
const BASE_URL = `${ORIGIN}/v1`;
const VIEWS_SARIF = fileURLToPath(new URL('../fixtures/review/views.sarif', import.meta.url));
const FILL_SARIF = fileURLToPath(new URL('../fixtures/review/fill.sarif', import.meta.url));

const FILL_PATH = 'src/fill.c';
/** An off-by-one write (line 7) that CodeQL reports as CWE-787 and cppcheck as CWE-788. */
const FILL = `#include <stdio.h>
#include <string.h>

void fill(const char *tag) {
    char buf[8];
    int i;
    for (i = 0; i <= 8; i++) buf[i] = tag[0];
    puts(buf);
}
`;

const temp = tempDirs('pipeline-test-');
let index: RetrievalIndex;

/** The real cwe-aware retriever, recording the queries the pipeline makes. */
class RecordingRetriever implements DemonstrationSource {
  readonly queries: RetrievalQuery[] = [];
  private readonly retriever = new Retriever(index.entries, index.embedder, index.vectors, index.bm25, { mode: 'cwe-aware', classifier: index.classifier });

  retrieve(query: RetrievalQuery) {
    this.queries.push(query);
    return this.retriever.retrieve(query);
  }
}

function model(samples: number, retries = 0): OpenAiCompatibleModel {
  return new OpenAiCompatibleModel({ baseUrl: BASE_URL, model: 'coder-7b', samples, retries }, { sleep: async () => undefined, random: () => 0 });
}

async function fileTarget(path: string, content: string, language: Language): Promise<Target> {
  const selection = await selectTargets({ files: [{ path, content, language }] });
  expect(selection.skipped).toEqual([]);
  expect(selection.targets).toHaveLength(1);
  return selection.targets[0]!;
}

async function alertTarget(sarif: string, path: string, content: string, language: Language): Promise<Target> {
  const alerts = await new SarifAlertSource([sarif]).alerts();
  const selection = await selectTargets({ files: [{ path, content, language }], alerts });
  expect(selection.skipped).toEqual([]);
  expect(selection.targets).toHaveLength(1);
  return selection.targets[0]!;
}

/** The check run of a run that hardened `outcomes`. */
function checkRunInput(outcomes: TargetOutcome[]): CheckRunInput {
  return { outcomes, skipped: [], config: DEFAULT_SECCODER_CONFIG, model: 'coder-7b', corpusSize: 27, alertsAvailable: true, dryRun: false };
}

interface ChatBody {
  model: string;
  n: number;
  messages: { role: string; content: string }[];
}

/** Mocks one chat completion answering `replies`, and keeps the request body. */
function mockChat(...replies: string[]): { body: () => ChatBody } {
  let sent: ChatBody | undefined;
  nock(ORIGIN)
    .post('/v1/chat/completions', (body: ChatBody) => {
      sent = body;
      return true;
    })
    .reply(200, chatCompletion(...replies));
  return {
    body: () => {
      if (!sent) throw new Error('the chat endpoint was not called');
      return sent;
    },
  };
}

useHttpMocks();

beforeAll(async () => {
  const dir = temp.make();
  await appendEntries(dir, await snippetEntries(SNIPPETS));
  index = await openRetrievalIndex({ corpusDir: dir, persist: false });
  expect(index.classifier).toBeDefined();
  // The analyzers are installed here and in CI: the tests below rely on them for real.
  expect((await analyzersFor('python', defaultAnalyzers())).map((analyzer) => analyzer.name)).toContain('bandit');
  expect((await analyzersFor('c', defaultAnalyzers())).map((analyzer) => analyzer.name)).toContain('cppcheck');
});

afterAll(() => {
  temp.cleanup();
});

describe('hardenTarget', () => {
  it('without a model (precedent mode): demonstrations and the prompt, no generation', async () => {
    const target = await fileTarget(VIEWS_PATH, VIEWS, 'python');
    expect(target.function).toMatchObject({ name: 'user_by_email', startLine: FUNCTION_START, endLine: FUNCTION_END, code: ORIGINAL_FUNCTION });
    const source = new RecordingRetriever();
    const outcome = await hardenTarget(target, { demonstrations: source, analyzers: defaultAnalyzers() });

    expect(source.queries).toEqual([{ code: ORIGINAL_FUNCTION, language: 'python', cwe: undefined, k: 3 }]);
    expect(outcome.samples).toBe(0);
    expect(outcome.rejections).toEqual({});
    expect(outcome.suggestion).toBeUndefined();
    expect(outcome.error).toBeUndefined();
    // The default budget shows one demonstration: a python SQL-injection fix.
    expect(outcome.demonstrations).toHaveLength(1);
    const demo = outcome.demonstrations[0]!;
    expect(demo.entry.language).toBe('python');
    expect(demo.entry.cwe).toEqual(['CWE-89']);
    expect(outcome.prompt.demonstrationIds).toEqual([demo.entry.id]);

    const [system, user] = outcome.prompt.messages;
    expect(system?.role).toBe('system');
    expect(user?.role).toBe('user');
    expect(user?.content).toContain(demo.entry.code.trimEnd());
    expect(user?.content).toContain(ORIGINAL_FUNCTION);
    expect(user?.content).toContain(`- Path: \`${VIEWS_PATH}\``);
    expect(user?.content).toContain('import sqlite3\nfrom flask import Flask, jsonify');
    expect(outcome.prompt.completion.endsWith('@app.route("/users/<email>")\ndef user_by_email(email):')).toBe(true);
  });

  it('keeps the one correct sample among a renamed and an unchanged one, citing its demonstrations', async () => {
    const target = await fileTarget(VIEWS_PATH, VIEWS, 'python');
    const renamed = FIXED_FUNCTION.replace('def user_by_email(email)', 'def user_by_email_safe(email)');
    const chat = mockChat(fencedReply(renamed), fencedReply(ORIGINAL_FUNCTION), fencedReply(FIXED_FUNCTION));
    const source = new RecordingRetriever();
    const outcome = await hardenTarget(target, { demonstrations: source, model: model(3), analyzers: defaultAnalyzers() });
    // No alert names the weakness: bandit's finding on the original, found before retrieval, is its evidence.
    expect(source.queries).toEqual([
      {
        code: ORIGINAL_FUNCTION,
        language: 'python',
        cwe: undefined,
        k: 3,
        evidence: { cwe: ['CWE-89'], tools: [{ tool: 'bandit', ruleId: 'B608', cwe: ['CWE-89'] }] },
      },
    ]);

    const body = chat.body();
    expect(body.model).toBe('coder-7b');
    expect(body.n).toBe(3);
    expect(body.messages.map((message) => message.role)).toEqual(['system', 'user']);
    const demo = outcome.demonstrations[0]!;
    expect(body.messages[1]!.content).toContain(demo.entry.code.trimEnd());
    expect(body.messages[1]!.content).toContain(ORIGINAL_FUNCTION);

    expect(outcome.error).toBeUndefined();
    expect(outcome.samples).toBe(3);
    expect(outcome.rejections).toEqual({ 'different-function': 1, unchanged: 1 });
    expect(outcome.suggestion).toEqual({
      path: VIEWS_PATH,
      startLine: FUNCTION_START,
      endLine: FUNCTION_END,
      functionName: 'user_by_email',
      original: ORIGINAL_FUNCTION,
      replacement: FIXED_FUNCTION,
      alerts: [],
      // The finding of the original that the rewrite no longer has, for the comment's explanation.
      resolvedFindings: [
        { tool: 'bandit', ruleId: 'B608', message: 'Possible SQL injection vector through string-based query construction.', cwe: ['CWE-89'] },
      ],
      cwe: ['CWE-89'],
      reason: "Rewrites `user_by_email` to remove CWE-89 (Improper Neutralization of Special Elements used in an SQL Command ('SQL Injection')).",
      demonstrations: [{ id: demo.entry.id, source: demo.entry.source, score: demo.score, cwe: ['CWE-89'] }],
      model: 'coder-7b',
      // bandit checked the rewrite: the comment and the check run need not say otherwise.
      analysis: { language: 'python', ran: ['bandit'], notAnalyzed: [] },
    });
    expect(notCheckedNote(outcome.suggestion!)).toBeUndefined();
    expect(renderSuggestionMarkdown(outcome.suggestion!)).not.toContain('Not checked');
    expect(outcome.suggestion!.replacement).toContain(FIXED_LINE);
  });

  it('rejects a sample the analyzers find worse (a shell command, an unpickling) as analyzer-worse', async () => {
    const target = await fileTarget(VIEWS_PATH, VIEWS, 'python');
    const withShell = FIXED_FUNCTION.replace('    conn = ', '    os.system("rm /tmp/cache-" + email)\n    conn = ');
    const withPickle = FIXED_FUNCTION.replace('return jsonify(cur.fetchone())', 'return jsonify(pickle.loads(cur.fetchone()[0]))');
    mockChat(fencedReply(withShell), fencedReply(withPickle));
    const outcome = await hardenTarget(target, { demonstrations: new RecordingRetriever(), model: model(2), analyzers: defaultAnalyzers() });
    expect(outcome.error).toBeUndefined();
    expect(outcome.samples).toBe(2);
    expect(outcome.rejections).toEqual({ 'analyzer-worse': 2 });
    expect(outcome.suggestion).toBeUndefined();
  });

  it('for a CWE-89 alert from SARIF: the CWE-89 demonstration comes first, and a rewrite that still formats the query is rejected', async () => {
    expect(new BanditAnalyzer().judges('CWE-89', 'python')).toBe(true);
    const target = await alertTarget(VIEWS_SARIF, VIEWS_PATH, VIEWS, 'python');
    expect(target.reason).toBe('alert');
    expect(target.alerts).toEqual([
      {
        ruleId: 'py/sql-injection',
        message: 'This SQL query depends on a user-provided value.',
        cwe: ['CWE-89'],
        path: VIEWS_PATH,
        startLine: 12,
        endLine: 12,
        severity: 'high',
      },
    ]);
    const formatted = ORIGINAL_FUNCTION.replace(
      `"SELECT id, name FROM users WHERE email = '" + email + "'"`,
      `"SELECT id, name FROM users WHERE email = '{}'".format(email)`,
    );
    expect(formatted).not.toBe(ORIGINAL_FUNCTION);
    const chat = mockChat(fencedReply(formatted));
    const source = new RecordingRetriever();
    const outcome = await hardenTarget(target, { demonstrations: source, model: model(1), analyzers: defaultAnalyzers() });

    expect(source.queries.map((query) => query.cwe)).toEqual(['CWE-89']);
    // The alert names the weakness: the analyzers' findings are not needed as evidence.
    expect(source.queries[0]?.evidence).toBeUndefined();
    expect(outcome.demonstrations[0]).toMatchObject({ cweMatch: true, sameLanguage: true });
    expect(outcome.demonstrations[0]!.entry.cwe).toContain('CWE-89');
    const user = chat.body().messages[1]!.content;
    expect(user).toContain('py/sql-injection (CWE-89): This SQL query depends on a user-provided value.');
    expect(outcome.samples).toBe(1);
    expect(outcome.rejections).toEqual({ 'alert-still-fires': 1 });
    expect(outcome.suggestion).toBeUndefined();
  });

  it('for a CWE-89 alert, a correct fix names the alert in its reason', async () => {
    const target = await alertTarget(VIEWS_SARIF, VIEWS_PATH, VIEWS, 'python');
    mockChat(fencedReply(FIXED_FUNCTION));
    const outcome = await hardenTarget(target, { demonstrations: new RecordingRetriever(), model: model(1), analyzers: defaultAnalyzers() });
    expect(outcome.rejections).toEqual({});
    expect(outcome.suggestion?.cwe).toEqual(['CWE-89']);
    expect(outcome.suggestion?.reason).toBe(
      "Rewrites `user_by_email` to remove CWE-89 (Improper Neutralization of Special Elements used in an SQL Command ('SQL Injection')), which code scanning flagged (py/sql-injection).",
    );
  });

  it('for a CWE-787 alert on C, a rewrite that still writes past the buffer is rejected as alert-still-fires', async () => {
    const target = await alertTarget(FILL_SARIF, FILL_PATH, FILL, 'c');
    expect(target.alerts[0]?.cwe).toEqual(['CWE-120', 'CWE-787', 'CWE-805']);
    const stillOverflows = `void fill(const char *tag) {
    char buf[8];
    int i;
    for (i = 0; i <= 8; i++) {
        buf[i] = tag[0];
    }
    buf[7] = '\\0';
    puts(buf);
}`;
    // The premise: cppcheck judges CWE-787 and still reports the overflow in the rewrite.
    const cppcheck = new CppcheckAnalyzer();
    expect(cppcheck.judges('CWE-787', 'c')).toBe(true);
    const findings = await cppcheck.analyze({ code: stillOverflows, language: 'c', fileName: 'fill.c' });
    expect(findings.map((finding) => [finding.ruleId, finding.cwe])).toContainEqual(['arrayIndexOutOfBounds', ['CWE-788']]);
    mockChat(`\`\`\`c\n${stillOverflows}\n\`\`\``);
    const outcome = await hardenTarget(target, { demonstrations: new RecordingRetriever(), model: model(1), analyzers: defaultAnalyzers() });
    // cppcheck judges CWE-787 (its CWE-788 is the same weakness) and still reports the overflow,
    // as does gcc (-Warray-bounds, CWE-119).
    expect(outcome.error).toBeUndefined();
    expect(outcome.rejections).toEqual({ 'alert-still-fires': 1 });
    expect(outcome.suggestion).toBeUndefined();
  });

  it('for a CWE-787 alert on C, a correct fix is checked by the C analyzers and says nothing of it', async () => {
    const target = await alertTarget(FILL_SARIF, FILL_PATH, FILL, 'c');
    const fixed = `void fill(const char *tag) {
    char buf[8];
    int i;
    for (i = 0; i < 7; i++) buf[i] = tag[0];
    buf[7] = '\\0';
    puts(buf);
}`;
    mockChat(`\`\`\`c\n${fixed}\n\`\`\``);
    const outcome = await hardenTarget(target, { demonstrations: new RecordingRetriever(), model: model(1), analyzers: defaultAnalyzers() });
    expect(outcome.rejections).toEqual({});
    expect(outcome.suggestion?.analysis?.language).toBe('c');
    expect(outcome.suggestion?.analysis?.ran).toContain('cppcheck');
    expect(outcome.suggestion?.analysis?.notAnalyzed).not.toContain('cppcheck');
    expect(notCheckedNote(outcome.suggestion!)).toBeUndefined();
    expect(checkRunOutput(checkRunInput([outcome])).summary).not.toContain('not checked');
  });

  // No security analyzer for Go, Java or Ruby is installed here (nor obtainable): their rewrites pass
  // the structural checks only, and the comment and the check run say so.
  it.each([
    {
      language: 'ruby' as const,
      path: 'app/controllers/users_controller.rb',
      content: 'class UsersController\n  def show\n    User.where("email = \'#{params[:email]}\'").first\n  end\nend\n',
      fixed: '  def show\n    User.where(email: params[:email]).first\n  end',
      name: 'Ruby',
    },
    {
      language: 'go' as const,
      path: 'users/find.go',
      content:
        'package users\n\nfunc Find(db *sql.DB, email string) *sql.Row {\n\treturn db.QueryRow("SELECT id FROM users WHERE email = \'" + email + "\'")\n}\n',
      fixed: 'func Find(db *sql.DB, email string) *sql.Row {\n\treturn db.QueryRow("SELECT id FROM users WHERE email = ?", email)\n}',
      name: 'Go',
    },
    {
      language: 'java' as const,
      path: 'src/Users.java',
      content:
        'class Users {\n    ResultSet find(Connection db, String email) throws SQLException {\n        return db.createStatement().executeQuery("SELECT id FROM users WHERE email = \'" + email + "\'");\n    }\n}\n',
      fixed:
        '    ResultSet find(Connection db, String email) throws SQLException {\n        PreparedStatement query = db.prepareStatement("SELECT id FROM users WHERE email = ?");\n        query.setString(1, email);\n        return query.executeQuery();\n    }',
      name: 'Java',
    },
  ])('a $name rewrite no analyzer checked says so in the comment and the check run', async ({ language, path, content, fixed, name }) => {
    const target = await fileTarget(path, content, language);
    mockChat(`\`\`\`${language}\n${fixed}\n\`\`\``);
    const outcome = await hardenTarget(target, { demonstrations: new RecordingRetriever(), model: model(1), analyzers: defaultAnalyzers() });
    expect(outcome.error).toBeUndefined();
    expect(outcome.rejections).toEqual({});
    const suggestion = outcome.suggestion!;
    expect(suggestion.analysis).toEqual({ language, ran: [], notAnalyzed: [] });
    expect(notCheckedNote(suggestion)).toBe(`Not checked by a security analyzer: none is available for ${name} here.`);
    const comment = renderSuggestionMarkdown(suggestion);
    expect(comment).toContain(`\n\n**Not checked by a security analyzer**: none is available for ${name} here.\n\n\`\`\`suggestion\n`);
    const check = checkRunOutput(checkRunInput([outcome]));
    expect(check.summary).toContain(`- **1 suggestion not checked by a security analyzer**: none is available for ${name} here`);
    expect(check.text).toContain(`: suggestion for `);
    expect(check.text).toContain(`; **not checked by a security analyzer**: none is available for ${name} here`);
  });

  it('reports a model failure as outcome.error instead of throwing', async () => {
    const target = await fileTarget(VIEWS_PATH, VIEWS, 'python');
    nock(ORIGIN)
      .post('/v1/chat/completions')
      .reply(500, { error: { message: 'upstream overloaded' } });
    const outcome = await hardenTarget(target, { demonstrations: new RecordingRetriever(), model: model(3, 0), analyzers: defaultAnalyzers() });
    expect(outcome.error).toMatch(/^model: /);
    expect(outcome.error).toContain('500');
    expect(outcome.samples).toBe(0);
    expect(outcome.rejections).toEqual({});
    expect(outcome.suggestion).toBeUndefined();
    expect(outcome.demonstrations).toHaveLength(1);
  });

  it('when an analyzer fails on the original, reports it and does not ask the model (no sample could be judged)', async () => {
    const target = await fileTarget(VIEWS_PATH, VIEWS, 'python');
    const chat = nock(ORIGIN)
      .post('/v1/chat/completions')
      .reply(200, chatCompletion(fencedReply(FIXED_FUNCTION)));
    // bandit stopped after 1 ms: it cannot finish on anything.
    const outcome = await hardenTarget(target, {
      demonstrations: new RecordingRetriever(),
      model: model(1),
      analyzers: [new BanditAnalyzer({ timeoutMs: 1 })],
    });
    expect(outcome.error).toMatch(/^analyzer: bandit did not finish within 1 ms/);
    expect(chat.isDone()).toBe(false);
    expect(outcome.samples).toBe(0);
    expect(outcome.replies).toEqual([]);
    expect(outcome.suggestion).toBeUndefined();
    // Retrieval and the prompt still happened, without evidence.
    expect(outcome.demonstrations).toHaveLength(1);
    nock.cleanAll();
  });

  it('retries a 500 within the configured retries, then succeeds', async () => {
    const target = await fileTarget(VIEWS_PATH, VIEWS, 'python');
    nock(ORIGIN)
      .post('/v1/chat/completions')
      .times(2)
      .reply(500, { error: { message: 'upstream overloaded' } });
    mockChat(fencedReply(FIXED_FUNCTION));
    const outcome = await hardenTarget(target, { demonstrations: new RecordingRetriever(), model: model(1, 2), analyzers: defaultAnalyzers() });
    expect(outcome.error).toBeUndefined();
    expect(outcome.suggestion?.replacement).toBe(FIXED_FUNCTION);
  });

  it('counts a reply without a code block as no-code-block', async () => {
    const target = await fileTarget(VIEWS_PATH, VIEWS, 'python');
    mockChat('I am sorry, but I cannot help with rewriting this function.');
    const outcome = await hardenTarget(target, { demonstrations: new RecordingRetriever(), model: model(1), analyzers: defaultAnalyzers() });
    expect(outcome.samples).toBe(1);
    expect(outcome.rejections).toEqual({ 'no-code-block': 1 });
    expect(outcome.suggestion).toBeUndefined();
    expect(outcome.error).toBeUndefined();
  });

  it('completion style: the completion continues the signature and becomes the suggestion', async () => {
    const target = await fileTarget(VIEWS_PATH, VIEWS, 'python');
    const body = FIXED_FUNCTION.split('\n').slice(2).join('\n');
    let prompt = '';
    nock(ORIGIN)
      .post('/v1/completions', (sent: { prompt: string; n: number }) => {
        prompt = sent.prompt;
        return sent.n === 1;
      })
      .reply(200, {
        id: 'cmpl-1',
        object: 'text_completion',
        choices: [{ index: 0, text: `\n${body}\n\n\n@app.route("/admin")\ndef admin():\n    return "x"\n`, finish_reason: 'length' }],
      });
    const outcome = await hardenTarget(
      target,
      { demonstrations: new RecordingRetriever(), model: model(1), analyzers: defaultAnalyzers() },
      { style: 'completion' },
    );

    expect(prompt.endsWith('@app.route("/users/<email>")\ndef user_by_email(email):')).toBe(true);
    // The demonstration is in the prompt, inert (a raw string).
    expect(prompt).toContain(`r"""\n${outcome.demonstrations[0]!.entry.code.trimEnd()}\n"""`);
    expect(outcome.samples).toBe(1);
    expect(outcome.rejections).toEqual({});
    expect(outcome.suggestion?.replacement).toBe(FIXED_FUNCTION);
    expect(outcome.suggestion).toMatchObject({ startLine: FUNCTION_START, endLine: FUNCTION_END });
  });
});

describe('hardenTargets', () => {
  it('hardens each target in order, each with its own outcome', async () => {
    const views = await fileTarget(VIEWS_PATH, VIEWS, 'python');
    const fill = await fileTarget(FILL_PATH, FILL, 'c');
    mockChat(fencedReply(FIXED_FUNCTION));
    mockChat('no code here');
    const outcomes = await hardenTargets([views, fill], { demonstrations: new RecordingRetriever(), model: model(1), analyzers: defaultAnalyzers() });
    expect(outcomes.map((outcome) => outcome.target.function.name)).toEqual(['user_by_email', 'fill']);
    expect(outcomes[0]?.suggestion?.replacement).toBe(FIXED_FUNCTION);
    expect(outcomes[1]?.rejections).toEqual({ 'no-code-block': 1 });
    expect(outcomes[1]?.demonstrations[0]?.entry.language).toBe('c');
  });
});
