// `seccoder index`: build or refresh the retrieval index beside the corpus.
import type { Command } from 'commander';
import { openIndexForCli } from '../open-retriever.js';
import { withIndexOptions, type IndexOptions } from '../shared-options.js';

export function registerIndexCommand(program: Command): void {
  withIndexOptions(program.command('index'))
    .description('build or update the vector index of the corpus (incremental when entries were only added)')
    .option('--rebuild', 'ignore the saved index and build from scratch')
    .action(async (options: IndexOptions & { rebuild?: boolean }) => {
      const started = performance.now();
      const index = await openIndexForCli(options);
      const seconds = ((performance.now() - started) / 1000).toFixed(1);
      const { status } = index;
      console.log(
        `${status.action} index of ${index.entries.length} entries (${status.embedded} embedded) with ${index.embedder.id}, ` +
          `dim ${index.embedder.dim}, in ${seconds} s → ${status.dir}`,
      );
    });
}
