// Query sets for measuring retrieval (and later hardening) from the SVEN and SafeCoder data:
// evaluation scenarios (prompt = file context + the start of the function) and validation pairs
// (the vulnerable function as the query). Labels are the CWE the scenario or pair is about.
import { existsSync } from 'node:fs';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { z } from 'zod';
import { normalizeCwe } from '../cwe/id.js';
import { languageFromPath, type Language } from '../lang/languages.js';
import { DataFileError } from '../errors/data-file-error.js';

export interface RetrievalQueryCase {
  id: string;
  code: string;
  language: Language;
  /** The CWE the case is about (from its folder, or the pair's vul_type). */
  cwe: string;
  /** Fixing commit, for pairs (to tell which queries have a sibling in the training data). */
  commit?: string;
}

const infoSchema = z.object({ language: z.string(), cwe: z.string().optional(), scenario: z.string().optional() }).loose();

/**
 * Scenarios under `<dir>/<cwe-folder>/<scenario>/` with file_context.* + func_context.*. The label
 * is the CWE folder (SafeCoder's trained-new/cwe-022/1-rb says CWE-116 in its info.json; its
 * query and folder say CWE-22).
 */
export async function loadScenarios(dir: string, prefix: string): Promise<RetrievalQueryCase[]> {
  const cases: RetrievalQueryCase[] = [];
  for (const cweFolder of (await readdir(dir)).filter((name) => /^cwe-\d+$/.test(name)).sort()) {
    for (const scenario of (await readdir(join(dir, cweFolder))).sort()) {
      const folder = join(dir, cweFolder, scenario);
      const files = await readdir(folder);
      const fileContext = files.find((name) => name.startsWith('file_context.'));
      const funcContext = files.find((name) => name.startsWith('func_context.'));
      if (!fileContext || !funcContext) continue;
      infoSchema.parse(JSON.parse(await readFile(join(folder, 'info.json'), 'utf8')));
      const language = languageFromPath(funcContext);
      if (!language) throw new DataFileError(folder, `cannot tell the language of ${funcContext}`);
      const code = (await readFile(join(folder, fileContext), 'utf8')) + (await readFile(join(folder, funcContext), 'utf8'));
      cases.push({ id: `${prefix}/${cweFolder}/${scenario}`, code, language, cwe: normalizeCwe(cweFolder) });
    }
  }
  return cases;
}

const pairSchema = z.object({ func_src_before: z.string(), commit_link: z.string(), file_name: z.string(), vul_type: z.string() }).loose();

/** Vulnerable sides of fix pairs in JSONL files, as queries. */
export async function loadPairQueries(files: string[], prefix: string): Promise<RetrievalQueryCase[]> {
  const cases: RetrievalQueryCase[] = [];
  for (const file of files) {
    const lines = (await readFile(file, 'utf8')).split('\n').filter((line) => line.trim() !== '');
    lines.forEach((line, index) => {
      const pair = pairSchema.parse(JSON.parse(line));
      const language = languageFromPath(pair.file_name);
      if (!language) return;
      cases.push({
        id: `${prefix}:${file.split('/').at(-1)}:${index + 1}`,
        code: pair.func_src_before,
        language,
        cwe: normalizeCwe(pair.vul_type),
        commit: /\/commit\/([0-9a-f]+)/.exec(pair.commit_link)?.[1],
      });
    });
  }
  return cases;
}

export interface QuerySetPaths {
  datasetsDir: string;
}

export interface NamedQuerySet {
  name: string;
  description: string;
  cases: RetrievalQueryCase[];
}

/** The retrieval benchmark's query sets; none of them is in the seed corpus. `seedCommits`: commits the retriever learned from. */
export async function loadBenchmarkQuerySets(datasetsDir: string, seedCommits: ReadonlySet<string>): Promise<NamedQuerySet[]> {
  const sven = join(datasetsDir, 'sven');
  const safecoder = join(datasetsDir, 'safecoder');
  if (!existsSync(sven) || !existsSync(safecoder)) {
    throw new DataFileError(datasetsDir, 'data sets not found (no sven/ and safecoder/ folders)', undefined, {
      hint: 'pass --data <dir with sven/ and safecoder/>',
    });
  }
  const svenValDir = join(sven, 'data_train_val', 'val');
  const valFiles = (await readdir(svenValDir))
    .filter((name) => name.endsWith('.jsonl'))
    .sort()
    .map((name) => join(svenValDir, name));
  const valPairs = await loadPairQueries(valFiles, 'sven-val');
  const generalization = [
    ...(await loadScenarios(join(sven, 'data_eval', 'gen_1'), 'sven/gen_1')),
    ...(await loadScenarios(join(sven, 'data_eval', 'gen_2'), 'sven/gen_2')),
    ...(await loadScenarios(join(safecoder, 'data_eval', 'sec_eval', 'not-trained'), 'safecoder/not-trained')),
  ];
  return [
    { name: 'sven-trained', description: 'SVEN data_eval/trained scenarios', cases: await loadScenarios(join(sven, 'data_eval', 'trained'), 'sven/trained') },
    { name: 'sven-val', description: 'SVEN val pairs, vulnerable side as query', cases: valPairs },
    {
      name: 'sven-val-unseen',
      description: 'SVEN val pairs whose commit supplies no seed entry or CWE example',
      cases: valPairs.filter((query) => !query.commit || !seedCommits.has(query.commit)),
    },
    {
      name: 'safecoder-trained-new',
      description: 'SafeCoder sec_eval/trained-new scenarios',
      cases: await loadScenarios(join(safecoder, 'data_eval', 'sec_eval', 'trained-new'), 'safecoder/trained-new'),
    },
    { name: 'generalization', description: 'SVEN gen_1 + gen_2 + SafeCoder not-trained, CWEs present in the corpus only', cases: generalization },
  ];
}
