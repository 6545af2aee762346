// `seccoder eval` goes through the hardening pipeline (hardenTarget), with the completion cache as
// a decorator of the code model: the model sees the prompt buildPrompt makes for the scenario and
// its demonstrations, the cache keeps its old key, and a rerun asks the model nothing.
import { beforeAll, describe, expect, it } from 'vitest';
import type { CorpusEntry } from '../../src/corpus/entry.js';
import { CachedModel, CompletionCache, promptHash, UnfinishedSamplesError } from '../../src/eval/security/completion-cache.js';
import { EvalModelError } from '../../src/eval/security/errors.js';
import { JudgeSelector } from '../../src/eval/security/judges.js';
import type { DemonstrationChooser } from '../../src/eval/security/modes.js';
import { runSecurityEval, type EvalSettings } from '../../src/eval/security/run-eval.js';
import { scenarioFunctionName, SyntaxChecker } from '../../src/eval/security/samples.js';
import { loadEvalScenarios, type EvalScenario } from '../../src/eval/security/scenario-sets.js';
import { ModelNetworkError } from '../../src/model/errors.js';
import type { ChatMessage, CodeModel, GenerationOptions } from '../../src/model/types.js';
import { buildPrompt } from '../../src/prompt/build-prompt.js';
import type { Retriever } from '../../src/retrieve/retriever.js';
import { makeEntry } from '../helpers/entries.js';
import { useTempDirs } from '../helpers/temp-dir.js';
import { FIXTURE_DATA } from './stand-in-model.js';

const tempDir = useTempDirs();
let scenario: EvalScenario;

beforeAll(async () => {
  const scenarios = await loadEvalScenarios(FIXTURE_DATA, 'sven-trained');
  scenario = scenarios.find((s) => s.id === 'sven-trained/cwe-089/0-py') as EvalScenario;
});

interface Call {
  style: 'chat' | 'completion';
  request: string | ChatMessage[];
  options: GenerationOptions | undefined;
}

/** A code model that records what it is asked and answers with `reply` (all of `samples`, unless `cap` is lower), or fails as `fails` says. */
class RecordingModel implements CodeModel {
  readonly name = 'recorder';
  readonly calls: Call[] = [];
  cap = Infinity;
  fails: (call: Call) => unknown = () => undefined;
  constructor(private readonly reply: (index: number) => string) {}
  chat(messages: ChatMessage[], options?: GenerationOptions): Promise<string[]> {
    return this.answer({ style: 'chat', request: messages, options });
  }
  complete(prompt: string, options?: GenerationOptions): Promise<string[]> {
    return this.answer({ style: 'completion', request: prompt, options });
  }
  private answer(call: Call): Promise<string[]> {
    this.calls.push(call);
    const failure = this.fails(call);
    if (failure !== undefined) return Promise.reject(failure);
    const n = Math.min(call.options?.samples ?? 1, this.cap);
    return Promise.resolve(Array.from({ length: n }, (_, index) => this.reply(this.calls.length * 100 + index)));
  }
}

const demo = makeEntry('def remove(conn, email):\n    conn.cursor().execute("DELETE FROM s WHERE e = %s", (email,))\n', 'python', ['CWE-89']);
const chooser: DemonstrationChooser = {
  entries: [demo],
  retrieverFor: () => ({ retrieve: async () => [{ entry: demo, score: 1, sameLanguage: true, cweMatch: false }] }) as unknown as Retriever,
};

const sampling = { temperature: 0.4, topP: 0.95, maxTokens: 300 };
const settings = (style: 'chat' | 'completion'): EvalSettings => ({ modes: ['none', 'bm25'], k: 1, style, samples: 3, ...sampling });

/** The prompt as the eval built it before it went through the pipeline. */
function expectedPrompt(demonstrations: CorpusEntry[]) {
  return buildPrompt(
    {
      language: scenario.language,
      path: scenario.fileName,
      functionCode: scenario.funcContext,
      functionName: scenarioFunctionName(scenario) ?? 'the function',
      signature: scenario.funcContext,
      fileContext: scenario.fileContext,
      demonstrations: demonstrations.map((entry) => ({ id: entry.id, language: entry.language, code: entry.code, cwe: entry.cwe })),
    },
    { maxDemonstrations: 1 },
  );
}

function run(model: CodeModel, cache: CompletionCache, style: 'chat' | 'completion') {
  const judges = new JudgeSelector({ analyzers: [], codeql: false });
  const checker = new SyntaxChecker({ compilePython: false });
  const input = { scenarios: [scenario], sets: [{ name: 'sven-trained', scenarios: 1 }], fixPairs: [] };
  return runSecurityEval(input, settings(style), { chooser, model, cache, judges, checker });
}

describe('the eval through the pipeline', () => {
  it.each(['chat', 'completion'] as const)("%s style: the model sees buildPrompt's prompt, and a rerun is answered from the cache", async (style) => {
    const reply = (i: number) => (style === 'chat' ? `\`\`\`python\n${scenario.funcContext}    return ${i}\n\`\`\`\n` : `\n    return ${i}\n`);
    const model = new RecordingModel(reply);
    const cache = await CompletionCache.open(tempDir());
    const first = await run(model, cache, style);

    const [none, bm25] = [expectedPrompt([]), expectedPrompt([demo])];
    const request = (prompt: typeof none) => (style === 'chat' ? prompt.messages : prompt.completion);
    expect(model.calls).toEqual([
      { style, request: request(none), options: { samples: 3, ...sampling } },
      { style, request: request(bm25), options: { samples: 3, ...sampling } },
    ]);
    const result = first.scenarios[0];
    expect(result?.modes.none?.demonstrations).toEqual([]);
    expect(result?.modes.bm25?.demonstrations).toEqual([demo.id]);
    expect(result?.modes.bm25?.counts).toMatchObject({ samples: 3, valid: 3 });
    // The cache key is the one the eval always used, so caches from before still answer.
    const hash = promptHash({ style, request: request(bm25) }, sampling);
    expect([0, 1, 2].map((index) => cache.get('recorder', hash, index))).toEqual([reply(200), reply(201), reply(202)]);

    const again = new RecordingModel(() => 'never asked');
    const second = await run(again, cache, style);
    expect(again.calls).toEqual([]);
    expect(second.scenarios).toEqual(first.scenarios);
  });
});

describe('CachedModel', () => {
  it('asks only for the missing indexes; a partial answer leaves the later ones for the next call', async () => {
    const inner = new RecordingModel((i) => `s${i}`);
    const cache = await CompletionCache.open(undefined);
    const hash = promptHash({ style: 'completion', request: 'p' }, sampling);
    await cache.put('recorder', hash, [{ index: 1, text: 'cached' }]);
    const model = new CachedModel(inner, cache, { samples: 4, ...sampling });
    inner.cap = 2;
    expect(await model.complete('p', { samples: 4, ...sampling })).toEqual(['s100', 'cached', 's101']);
    expect(inner.calls[0]?.options).toEqual({ samples: 3, ...sampling });
    inner.cap = Infinity;
    expect(await model.complete('p')).toEqual(['s100', 'cached', 's101', 's200']);
    expect(inner.calls[1]?.options).toEqual({ samples: 1, ...sampling });
    expect(await model.complete('p')).toEqual(['s100', 'cached', 's101', 's200']);
    expect(inner.calls).toHaveLength(2);
  });

  it("keeps what the cache held when the model fails, with the model's error as the cause", async () => {
    const inner = new RecordingModel(() => '');
    const tooLong = new Error('prompt too long');
    inner.fails = () => tooLong;
    const cache = await CompletionCache.open(undefined);
    await cache.put('recorder', promptHash({ style: 'completion', request: 'p' }, sampling), [{ index: 0, text: 'cached' }]);
    const failed = await new CachedModel(inner, cache, { samples: 2, ...sampling }).complete('p').catch((error: unknown) => error);
    expect(failed).toBeInstanceOf(UnfinishedSamplesError);
    expect(failed).toMatchObject({ cached: ['cached'], cause: tooLong, message: 'prompt too long' });
  });
});

describe('model failures in the eval', () => {
  it('a prompt the model refuses is reported and its cached samples still judged; an unreachable model stops the eval', async () => {
    const model = new RecordingModel((i) => `\n    return ${i}\n`);
    const cache = await CompletionCache.open(undefined);
    await run(model, cache, 'completion');
    // Only the prompt with a demonstration is refused, so the eval goes on.
    const refusing = new RecordingModel((i) => `\n    return ${i}\n`);
    refusing.fails = (call) => (String(call.request).startsWith(scenario.fileContext) ? undefined : new Error('prompt too long'));
    const widened = { ...settings('completion'), samples: 4 };
    const judges = new JudgeSelector({ analyzers: [], codeql: false });
    const checker = new SyntaxChecker({ compilePython: false });
    const input = { scenarios: [scenario], sets: [{ name: 'sven-trained', scenarios: 1 }], fixPairs: [] };
    const report = await runSecurityEval(input, widened, { chooser, model: refusing, cache, judges, checker });
    expect(report.modelErrors).toEqual({ prompts: 2, failed: 1, first: 'sven-trained/cwe-089/0-py (bm25): prompt too long' });
    expect(report.scenarios[0]?.modes.none).toMatchObject({ counts: { samples: 4 } });
    expect(report.scenarios[0]?.modes.bm25).toMatchObject({ error: 'prompt too long', counts: { samples: 3 } });

    refusing.fails = () => new ModelNetworkError('http://127.0.0.1:9/v1/completions', 'ECONNREFUSED', 4);
    await expect(runSecurityEval(input, widened, { chooser, model: refusing, cache, judges, checker })).rejects.toBeInstanceOf(EvalModelError);
  });
});
