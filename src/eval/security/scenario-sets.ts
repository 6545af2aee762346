// The scenario sets `seccoder eval` knows (SVEN data_eval and SafeCoder sec_eval groups), and each
// scenario's parts as the protocol needs them: the file context and the function's start apart,
// and the CodeQL query that judges it.
import { existsSync } from 'node:fs';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { z } from 'zod';
import { loadScenarios } from '../scenarios.js';
import type { Language } from '../../lang/languages.js';
import { ScenarioSetNotFoundError, UnknownScenarioSetError } from './errors.js';

/** Set name → folder under the data directory. */
export const SCENARIO_SETS = {
  'sven-trained': 'sven/data_eval/trained',
  'sven-gen_1': 'sven/data_eval/gen_1',
  'sven-gen_2': 'sven/data_eval/gen_2',
  'sven-prompts': 'sven/data_eval/prompts',
  'safecoder-trained': 'safecoder/data_eval/sec_eval/trained',
  'safecoder-trained-new': 'safecoder/data_eval/sec_eval/trained-new',
  'safecoder-not-trained': 'safecoder/data_eval/sec_eval/not-trained',
} as const;
export type ScenarioSetName = keyof typeof SCENARIO_SETS;
export const SCENARIO_SET_NAMES = Object.keys(SCENARIO_SETS) as ScenarioSetName[];

export interface EvalScenario {
  /** `<set>/<cwe folder>/<scenario>`, e.g. `sven-trained/cwe-089/0-py`. */
  id: string;
  set: ScenarioSetName;
  language: Language;
  /** From the CWE folder, normalized (`CWE-89`). */
  cwe: string;
  fileContext: string;
  funcContext: string;
  /** The func_context file's name (its extension picks the grammar, e.g. `.jsx`). */
  fileName: string;
  /** The query upstream judged the scenario with, as info.json names it (relative to upstream's scripts/). */
  checkQl?: string;
}

const infoSchema = z.object({ check_ql: z.string().optional() }).loose();

export function parseScenarioSet(name: string): ScenarioSetName {
  if (Object.hasOwn(SCENARIO_SETS, name)) return name as ScenarioSetName;
  throw new UnknownScenarioSetError(name, SCENARIO_SET_NAMES);
}

/** The scenarios of `set` under `dataDir`, in folder order (the listing is loadScenarios'). */
export async function loadEvalScenarios(dataDir: string, set: ScenarioSetName): Promise<EvalScenario[]> {
  const dir = join(dataDir, SCENARIO_SETS[set]);
  if (!existsSync(dir)) throw new ScenarioSetNotFoundError(set, dir);
  const cases = await loadScenarios(dir, set);
  const scenarios: EvalScenario[] = [];
  for (const found of cases) {
    const folder = join(dir, ...found.id.slice(set.length + 1).split('/'));
    const files = await readdir(folder);
    const nameOf = (prefix: string) => files.find((file) => file.startsWith(prefix)) ?? '';
    const read = (prefix: string) => (nameOf(prefix) ? readFile(join(folder, nameOf(prefix)), 'utf8') : Promise.resolve(''));
    const info = infoSchema.parse(JSON.parse(await readFile(join(folder, 'info.json'), 'utf8')));
    scenarios.push({
      id: found.id,
      set,
      language: found.language,
      cwe: found.cwe,
      fileContext: await read('file_context.'),
      funcContext: await read('func_context.'),
      fileName: nameOf('func_context.'),
      ...(info.check_ql ? { checkQl: info.check_ql } : {}),
    });
  }
  return scenarios;
}
