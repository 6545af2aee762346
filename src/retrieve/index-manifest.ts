// What a persisted retrieval index was built from. Loading compares it with the corpus and the
// embedder at hand: equal → use it; the corpus only grew → add the new entries; else rebuild.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { z } from 'zod';
import type { CorpusEntry } from '../corpus/entry.js';
import { writeChunksAtomic } from '../fs/atomic-write.js';
import { corpusHash } from '../corpus/hash.js';

export const MANIFEST_FILE = 'manifest.json';

const manifestSchema = z.object({
  format: z.literal(1),
  embedderId: z.string(),
  dim: z.number().int().positive(),
  corpusHash: z.string(),
  entryIds: z.array(z.string()),
  updatedAt: z.string(),
});
export type IndexManifest = z.infer<typeof manifestSchema>;

export type ManifestVerdict = { action: 'use' } | { action: 'extend'; from: number } | { action: 'rebuild'; reason: string };

export async function readIndexManifest(dir: string): Promise<IndexManifest | undefined> {
  try {
    return manifestSchema.parse(JSON.parse(await readFile(join(dir, MANIFEST_FILE), 'utf8')));
  } catch {
    return undefined;
  }
}

export async function writeIndexManifest(dir: string, manifest: Omit<IndexManifest, 'format' | 'updatedAt'>): Promise<void> {
  const full: IndexManifest = { format: 1, ...manifest, updatedAt: new Date().toISOString() };
  await writeChunksAtomic(join(dir, MANIFEST_FILE), [JSON.stringify(full)]);
}

export function judgeManifest(manifest: IndexManifest | undefined, entries: readonly CorpusEntry[], embedder: { id: string; dim: number }): ManifestVerdict {
  if (!manifest) return { action: 'rebuild', reason: 'no index yet' };
  if (manifest.embedderId !== embedder.id) {
    return { action: 'rebuild', reason: `index was built with embedder ${manifest.embedderId}, now ${embedder.id}` };
  }
  if (manifest.dim !== embedder.dim) return { action: 'rebuild', reason: `index has dimension ${manifest.dim}, embedder ${embedder.dim}` };
  const built = manifest.entryIds.length;
  if (built > entries.length) return { action: 'rebuild', reason: `corpus shrank from ${built} to ${entries.length} entries` };
  if (corpusHash(entries.slice(0, built)) !== manifest.corpusHash) {
    return { action: 'rebuild', reason: 'corpus entries changed since the index was built' };
  }
  return built === entries.length ? { action: 'use' } : { action: 'extend', from: built };
}
