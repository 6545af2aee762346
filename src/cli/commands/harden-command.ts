// `seccoder harden`: the pipeline from the command line. With a model it prints each validated
// suggestion as a diff; without one (precedent mode) it prints the targets, the demonstrations it
// would learn from and the exact prompt it would send.
import { relative, resolve, sep } from 'node:path';
import type { Command } from 'commander';
import { defaultAnalyzers } from '../../analyze/registry.js';
import { parseUnifiedDiff, type ChangedFile } from '../../detect/diff.js';
import { SarifAlertSource } from '../../detect/sarif.js';
import type { SourceFile } from '../../detect/targets.js';
import type { Alert } from '../../detect/types.js';
import { languageFromPath, parseLanguage } from '../../lang/languages.js';
import { hardenChange } from '../../harden/harden-change.js';
import { openIndexForCli, retrieverFor } from '../open-retriever.js';
import { readInputFile } from '../read-input.js';
import { UsageError } from '../usage-error.js';
import { printOutcomes, type HardenReport } from '../harden-output.js';
import { modelClientOf, withIndexOptions, withModelOptions } from '../shared-options.js';

interface HardenOptions {
  diff?: string;
  sarif: string[];
  function?: string;
  language?: string;
  modelUrl?: string;
  model?: string;
  apiKeyEnv?: string;
  samples: string;
  style: string;
  maxTargets: string;
  dryRun?: boolean;
  json?: boolean;
  corpus?: string;
  embedder: string;
}

const collect = (value: string, previous: string[]) => [...previous, value];

/** Repository-relative, forward-slash paths, as diffs and SARIF name files. */
function repoPath(path: string): string {
  return relative(process.cwd(), resolve(path)).split(sep).join('/');
}

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

function positiveInteger(value: string, flag: string): number {
  const number = Number(value);
  if (!Number.isInteger(number) || number <= 0) throw new UsageError(`${flag} must be a positive integer, got ${value}`);
  return number;
}

export function registerHardenCommand(program: Command): void {
  withIndexOptions(withModelOptions(program.command('harden')))
    .description('suggest secure rewrites of functions, learned from secure demonstrations in the corpus')
    .argument('<files...>', 'source files to harden')
    .option('--diff <file>', 'a unified diff (or - for stdin): harden only the functions it adds or changes')
    .option('--sarif <file>', 'SARIF results (file or folder, repeatable): harden the functions alerts point into', collect, [])
    .option('--function <name>', 'only this function')
    .option('--language <name>', 'language of the files, when the extension does not tell')
    .option('--samples <n>', 'samples per target; the best valid one is kept', '3')
    .option('--style <style>', "chat | completion (the paper's completion template)", 'chat')
    .option('--max-targets <n>', 'most functions to harden', '10')
    .option('--dry-run', 'do not call the model: print the prompts (precedent mode)')
    .option('--json', 'print JSON')
    .action(async (paths: string[], options: HardenOptions) => {
      if (options.style !== 'chat' && options.style !== 'completion') {
        throw new UsageError(`invalid --style ${JSON.stringify(options.style)}: use chat or completion`);
      }
      const language = options.language ? parseLanguage(options.language) : undefined;
      const files: SourceFile[] = [];
      for (const path of paths) files.push({ path: repoPath(path), content: await readInputFile(path), language: language ?? languageFromPath(path) });
      let diff: ChangedFile[] | undefined;
      if (options.diff) diff = parseUnifiedDiff(options.diff === '-' ? await readStdin() : await readInputFile(options.diff));
      let alerts: Alert[] | undefined;
      if (options.sarif.length > 0) alerts = await new SarifAlertSource(options.sarif, { roots: [process.cwd()] }).alerts();
      const model = options.dryRun ? undefined : modelClientOf(options, { samples: positiveInteger(options.samples, '--samples') });

      const { outcomes, skipped } = await hardenChange(
        { files, ...(diff ? { diff } : {}), ...(alerts ? { alerts } : {}) },
        { demonstrations: async () => retrieverFor(await openIndexForCli(options), 'cwe-aware'), model, analyzers: defaultAnalyzers() },
        {
          style: options.style,
          targets: { maxTargets: positiveInteger(options.maxTargets, '--max-targets') },
          ...(options.function ? { functionName: options.function } : {}),
        },
      );
      if (options.function && outcomes.length === 0) throw new UsageError(`no function named ${options.function} among the targets in ${paths.join(', ')}`);
      const report: HardenReport = { model: model?.name, outcomes, skipped, files };
      printOutcomes(report, { json: options.json === true, style: options.style });
    });
}
