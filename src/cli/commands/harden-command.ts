// `seccoder harden`: the pipeline from the command line. With a model it prints each validated
// suggestion as a diff; without one (precedent mode) it prints the targets, the demonstrations it
// would learn from and the exact prompt it would send.
import { relative, resolve, sep } from 'node:path';
import type { Command } from 'commander';
import { defaultAnalyzers } from '../../analyze/registry.js';
import { parseUnifiedDiff, type ChangedFile } from '../../detect/diff.js';
import { SarifAlertSource } from '../../detect/sarif.js';
import { selectTargets, type SourceFile } from '../../detect/targets.js';
import type { Alert } from '../../detect/types.js';
import { languageFromPath, parseLanguage } from '../../lang/languages.js';
import { hardenTargets } from '../../harden/harden-target.js';
import { modelFromFlags } from '../model-flags.js';
import { openIndexForCli, retrieverFor } from '../open-retriever.js';
import { readInputFile } from '../read-input.js';
import { printOutcomes, type HardenReport } from '../harden-output.js';

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
  if (!Number.isInteger(number) || number <= 0) throw new Error(`${flag} must be a positive integer, got ${value}`);
  return number;
}


export function registerHardenCommand(program: Command): void {
  program
    .command('harden')
    .description('suggest secure rewrites of functions, learned from secure demonstrations in the corpus')
    .argument('<files...>', 'source files to harden')
    .option('--diff <file>', 'a unified diff (or - for stdin): harden only the functions it adds or changes')
    .option('--sarif <file>', 'SARIF results (file or folder, repeatable): harden the functions alerts point into', collect, [])
    .option('--function <name>', 'only this function')
    .option('--language <name>', 'language of the files, when the extension does not tell')
    .option('--model-url <url>', 'OpenAI-compatible endpoint or preset (github-models, openai, ollama, vllm, llamacpp); or $SECCODER_MODEL_URL')
    .option('--model <name>', 'model name at that endpoint; or $SECCODER_MODEL')
    .option('--api-key-env <var>', 'environment variable holding the API key (presets name their usual one)')
    .option('--samples <n>', 'samples per target; the best valid one is kept', '3')
    .option('--style <style>', 'chat | completion (the paper\'s completion template)', 'chat')
    .option('--max-targets <n>', 'most functions to harden', '10')
    .option('--dry-run', 'do not call the model: print the prompts (precedent mode)')
    .option('--json', 'print JSON')
    .option('--corpus <dir>', 'corpus folder (default: ./corpus, $SECCODER_CORPUS, or the bundled seed)')
    .option('--embedder <name>', 'default | onnx:<folder>', 'default')
    .action(async (paths: string[], options: HardenOptions) => {
      if (options.style !== 'chat' && options.style !== 'completion') throw new Error(`invalid --style ${JSON.stringify(options.style)}: use chat or completion`);
      const language = options.language ? parseLanguage(options.language) : undefined;
      const files: SourceFile[] = [];
      for (const path of paths) files.push({ path: repoPath(path), content: await readInputFile(path), language: language ?? languageFromPath(path) });
      let diff: ChangedFile[] | undefined;
      if (options.diff) diff = parseUnifiedDiff(options.diff === '-' ? await readStdin() : await readInputFile(options.diff));
      let alerts: Alert[] | undefined;
      if (options.sarif.length > 0) alerts = await new SarifAlertSource(options.sarif, { roots: [process.cwd()] }).alerts();
      const model = options.dryRun ? undefined : modelFromFlags(options, { samples: positiveInteger(options.samples, '--samples') });

      const selection = await selectTargets({ files, diff, alerts, options: { maxTargets: positiveInteger(options.maxTargets, '--max-targets') } });
      const targets = options.function ? selection.targets.filter((target) => target.function.name === options.function) : selection.targets;
      if (options.function && targets.length === 0) throw new Error(`no function named ${options.function} among the targets in ${paths.join(', ')}`);

      const index = await openIndexForCli(options);
      const outcomes = await hardenTargets(
        targets,
        { demonstrations: retrieverFor(index, 'cwe-aware'), model, analyzers: defaultAnalyzers() },
        { style: options.style },
      );
      const report: HardenReport = { model: model?.name, outcomes, skipped: selection.skipped, files };
      printOutcomes(report, { json: options.json === true, style: options.style });
    });
}
