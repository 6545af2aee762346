// `seccoder retrieve`: the secure demonstrations closest to a file, or to each query of a JSONL
// batch (so tools outside the project can evaluate the retriever).
import { basename } from 'node:path';
import type { Command } from 'commander';
import { z } from 'zod';
import { normalizeCwe } from '../../cwe/id.js';
import { cweLegend } from '../../cwe/names.js';
import { languageFromPath, parseLanguage, UnknownLanguageError, type Language } from '../../lang/languages.js';
import type { Demonstration, RetrievalQuery, Retriever } from '../../retrieve/retriever.js';
import { defaultAnalyzers } from '../../analyze/registry.js';
import type { Analyzer } from '../../analyze/types.js';
import { analyzerEvidenceOf, type QueryEvidence } from '../../retrieve/analyzer-evidence.js';
import { openIndexForCli, parseMode, retrieverFor } from '../open-retriever.js';
import { readInputFile } from '../read-input.js';
import { withIndexOptions, type IndexOptions } from '../shared-options.js';
import { UsageError } from '../usage-error.js';

interface RetrieveOptions extends IndexOptions {
  file?: string;
  queries?: string;
  language?: string;
  cwe?: string;
  k: string;
  json?: boolean;
  mode: string;
  code: boolean;
  analyzers?: boolean;
}

const querySchema = z.object({
  id: z.union([z.string(), z.number()]),
  code: z.string().min(1),
  language: z.string().optional(),
  cwe: z.string().optional(),
  k: z.number().int().positive().optional(),
});

function resultJson(demo: Demonstration) {
  return {
    id: demo.entry.id,
    cwe: demo.entry.cwe,
    language: demo.entry.language,
    score: demo.score,
    ...(demo.similarity === undefined ? {} : { similarity: demo.similarity }),
    source: demo.entry.source,
  };
}

function formatDemonstration(demo: Demonstration, rank: number, showCode: boolean): string {
  const { entry } = demo;
  const similarity = demo.similarity === undefined ? '' : ` (cosine ${demo.similarity.toFixed(3)})`;
  const where = [entry.source.url ?? entry.source.repo, entry.source.path, entry.source.function && `function ${entry.source.function}`]
    .filter(Boolean)
    .join('  ');
  const lines = [`${rank}. ${entry.id}  ${entry.cwe.join(',') || 'no CWE'}  ${entry.language}  score ${demo.score.toFixed(4)}${similarity}`];
  if (where) lines.push(`   ${where}`);
  if (showCode) {
    const code = entry.code.split('\n');
    lines.push(...code.slice(0, 12).map((line) => `   | ${line}`));
    if (code.length > 12) lines.push(`   | … ${code.length - 12} more lines`);
  }
  return lines.join('\n');
}

function languageOf(given: string | undefined, path: string): Language {
  if (given) return parseLanguage(given);
  const detected = languageFromPath(path);
  if (!detected) throw new UnknownLanguageError(path, 'cannot tell the language from the file name; pass --language');
  return detected;
}

/**
 * The analyzers' evidence on a query, as `harden` and the App gather it: only when no CWE is
 * known, since a known CWE already decides the ranking. Failures are warnings on stderr.
 */
async function evidenceFor(
  analyzers: readonly Analyzer[],
  code: string,
  language: Language | undefined,
  cwe: string | undefined,
  fileName?: string,
): Promise<QueryEvidence | undefined> {
  if (cwe !== undefined || language === undefined) return undefined;
  return analyzerEvidenceOf({ code, language, fileName }, analyzers, (analyzer, error) =>
    console.error(`warning: ${analyzer.name} could not analyze the query, so it is no evidence: ${(error as Error).message}`),
  );
}

function describeEvidence(evidence: QueryEvidence): string {
  if (evidence.tools.length === 0) return 'analyzer evidence: none (no finding names a CWE)';
  return `analyzer evidence: ${evidence.tools.map((hit) => `${hit.tool} ${hit.ruleId} (${hit.cwe.join(', ')})`).join('; ')}`;
}

/** `analyzers`: created once for the whole batch, so each tool's installation is checked once. */
async function runBatch(retriever: Retriever, path: string, k: number, analyzers: readonly Analyzer[] | undefined): Promise<void> {
  const lines = (await readInputFile(path)).split('\n');
  for (const [index, line] of lines.entries()) {
    if (line.trim() === '') continue;
    let query: z.infer<typeof querySchema>;
    let language: Language | undefined;
    let cwe: string | undefined;
    try {
      query = querySchema.parse(JSON.parse(line));
      language = query.language ? parseLanguage(query.language) : undefined;
      cwe = query.cwe ? normalizeCwe(query.cwe) : undefined;
    } catch (error) {
      const reason =
        error instanceof z.ZodError ? error.issues.map((i) => `${i.path.join('.') || 'query'}: ${i.message}`).join('; ') : (error as Error).message;
      console.error(`${path}:${index + 1}: skipped query: ${reason}`);
      const id = (() => {
        try {
          return (JSON.parse(line) as { id?: unknown }).id ?? null;
        } catch {
          return null;
        }
      })();
      console.log(JSON.stringify({ id, line: index + 1, error: reason }));
      continue;
    }
    const evidence = analyzers ? await evidenceFor(analyzers, query.code, language, cwe) : undefined;
    const results = await retriever.retrieve({ code: query.code, language, cwe, k: query.k ?? k, ...(evidence ? { evidence } : {}) });
    console.log(JSON.stringify({ id: query.id, ...(evidence ? { evidence } : {}), results: results.map(resultJson) }));
  }
}

export function registerRetrieveCommand(program: Command): void {
  withIndexOptions(program.command('retrieve'))
    .description('show the secure demonstrations most similar to a file (or to each query of a JSONL batch)')
    .option('--file <path>', 'code to find demonstrations for')
    .option('--queries <path>', 'batch: JSON Lines of {id, code, language?, cwe?, k?}; prints one JSON result per line')
    .option('--language <name>', 'language of --file, when its extension does not tell')
    .option('--cwe <id>', 'known weakness (e.g. from an alert): demonstrations of it rank first')
    .option('-k <n>', 'number of demonstrations', '5')
    .option('--mode <mode>', 'cwe-aware | hybrid | dense | bm25', 'cwe-aware')
    .option('--analyzers', "cwe-aware: run the language's analyzers on the query and weigh what they find, as harden and the App do")
    .option('--json', 'print JSON')
    .option('--no-code', "do not print the demonstrations' code")
    .action(async (options: RetrieveOptions) => {
      if (!options.file === !options.queries) throw new UsageError('give exactly one of --file <path> or --queries <path>');
      const k = Number(options.k);
      if (!Number.isInteger(k) || k <= 0) throw new UsageError(`-k must be a positive integer, got ${options.k}`);
      const mode = parseMode(options.mode);
      const analyzers = options.analyzers === true ? defaultAnalyzers() : undefined;
      if (analyzers && mode !== 'cwe-aware') throw new UsageError(`--analyzers weighs evidence in cwe-aware retrieval only, not --mode ${mode}`);
      if (options.queries) {
        if (!options.json) throw new UsageError('--queries prints JSON Lines: add --json');
        const retriever = retrieverFor(await openIndexForCli(options), mode);
        await runBatch(retriever, options.queries, k, analyzers);
        return;
      }
      const path = options.file as string;
      const code = await readInputFile(path);
      const language = languageOf(options.language, path);
      const cwe = options.cwe ? normalizeCwe(options.cwe) : undefined;
      const index = await openIndexForCli(options);
      if (analyzers && cwe) console.error('note: --cwe names the weakness, so the analyzers are not run (as in harden and the App)');
      const evidence = analyzers ? await evidenceFor(analyzers, code, language, cwe, basename(path)) : undefined;
      const query: RetrievalQuery = { code, language, cwe, k, ...(evidence ? { evidence } : {}) };
      const results = await retrieverFor(index, mode).retrieve(query);
      if (options.json) {
        console.log(JSON.stringify({ file: path, language, cwe, mode, ...(evidence ? { evidence } : {}), results: results.map(resultJson) }, null, 2));
        return;
      }
      console.log(
        `${results.length} secure demonstrations for ${path} (${language}${cwe ? `, ${cwe}` : ''}), ${mode} retrieval over ${index.entries.length} entries:`,
      );
      if (evidence) console.log(describeEvidence(evidence));
      results.forEach((demo, i) => console.log(formatDemonstration(demo, i + 1, options.code)));
      for (const line of cweLegend([...(cwe ? [cwe] : []), ...results.flatMap((demo) => demo.entry.cwe)])) console.log(line);
    });
}
