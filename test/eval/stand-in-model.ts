// A real HTTP server on 127.0.0.1 standing in for an OpenAI-compatible code model: it tells the
// fixture scenarios apart by how the prompt ends, and answers with their fixed completions.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { FIXTURE_COMPLETIONS } from '../fixtures/eval/completions.js';
import { sendJson, startLocalServer, type LocalServer } from '../model/local-server.js';

export const FIXTURE_DATA = fileURLToPath(new URL('../fixtures/eval/datasets', import.meta.url));
const TRAINED = join(FIXTURE_DATA, 'sven', 'data_eval', 'trained');

function scenarioFile(scenario: string, prefix: string): string {
  const ext = scenario.endsWith('-c') ? 'c' : 'py';
  return readFileSync(join(TRAINED, scenario, `${prefix}.${ext}`), 'utf8');
}

export interface RecordedRequest {
  path: string;
  body: { prompt?: string; messages?: { role: string; content: string }[]; n: number; temperature: number; top_p: number; max_tokens: number };
}

export interface StandInModel {
  server: LocalServer;
  requests: RecordedRequest[];
}

/** Completion prompts get the scenario's completions; chat prompts get them as `main`-style fenced functions. */
export async function startStandInModel(): Promise<StandInModel> {
  const requests: RecordedRequest[] = [];
  const scenarios = Object.entries(FIXTURE_COMPLETIONS).map(([id, fixture]) => ({
    id,
    fixture,
    fileContext: scenarioFile(id, 'file_context'),
    funcContext: scenarioFile(id, 'func_context'),
  }));
  const server = await startLocalServer((req, raw, res) => {
    const body = JSON.parse(raw) as RecordedRequest['body'];
    const path = new URL(req.url ?? '/', 'http://x').pathname;
    requests.push({ path, body });
    if (path === '/v1/completions' && typeof body.prompt === 'string') {
      const prompt = body.prompt;
      const scenario = scenarios.find((s) => prompt.endsWith(s.funcContext));
      if (!scenario) return sendJson(res, 400, { error: { message: 'unknown prompt' } });
      const demo = !prompt.startsWith(scenario.fileContext.trimEnd());
      const texts = (demo ? scenario.fixture.withDemo : scenario.fixture.plain).slice(0, body.n);
      return sendJson(res, 200, { object: 'text_completion', choices: texts.map((text, index) => ({ index, text, finish_reason: 'stop' })) });
    }
    if (path === '/v1/chat/completions' && body.messages) {
      const user = body.messages.at(-1)?.content ?? '';
      const scenario = scenarios.find((s) => user.includes(s.funcContext.trimEnd()));
      if (!scenario) return sendJson(res, 400, { error: { message: 'unknown prompt' } });
      const demo = user.includes('# Secure demonstrations');
      const texts = (demo ? scenario.fixture.withDemo : scenario.fixture.plain).slice(0, body.n);
      const lang = scenario.id.endsWith('-c') ? 'c' : 'python';
      const reply = (text: string) => (text === '' ? 'I cannot help with that.' : `Here it is:\n\n\`\`\`${lang}\n${scenario.funcContext}${text}\n\`\`\`\n`);
      return sendJson(res, 200, {
        object: 'chat.completion',
        choices: texts.map((text, index) => ({ index, message: { role: 'assistant', content: reply(text) }, finish_reason: 'stop' })),
      });
    }
    return sendJson(res, 404, { error: { message: `no route ${path}` } });
  });
  return { server, requests };
}
