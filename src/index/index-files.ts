// On-disk layout of a saved HnswVectorIndex: index.json describes the directory and is written
// last, so it is the commit point that vectors.f32 and hnsw.bin are checked against.

import { readFile } from 'node:fs/promises';
import { endianness } from 'node:os';
import { join } from 'node:path';
import { z } from 'zod';
import { IndexLoadError } from './index-load-error.js';

export const FILES = { manifest: 'index.json', vectors: 'vectors.f32', graph: 'hnsw.bin' } as const;

const count = z.number().int().nonnegative();
const positive = z.number().int().positive();
const crc = z.number().int().nonnegative();

const manifestSchema = z
  .object({
    formatVersion: z.literal(1),
    dim: positive,
    size: count,
    options: z.object({ m: positive, efConstruction: positive, efSearch: positive, exactThreshold: count, seed: count }),
    /** Whether hnsw.bin belongs to this save. */
    graph: z.boolean(),
    /** CRC-32 of each file, catching files from a different save that happen to have the right size. */
    checksums: z.object({ vectors: crc, graph: crc.optional() }),
  })
  .refine((m) => !m.graph || m.checksums.graph !== undefined, { message: 'graph is present but has no checksum' });

export type Manifest = z.infer<typeof manifestSchema>;

export async function readManifest(dir: string): Promise<Manifest> {
  const path = join(dir, FILES.manifest);
  const text = (await readBytes(path)).toString('utf8');
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new IndexLoadError(path, 'not valid JSON', { cause: error });
  }
  const parsed = manifestSchema.safeParse(json);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => `${issue.path.join('.') || '(root)'}: ${issue.message}`);
    throw new IndexLoadError(path, `unexpected contents (${problems.join('; ')})`);
  }
  return parsed.data;
}

export async function readBytes(path: string): Promise<Buffer> {
  try {
    return await readFile(path);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const reason = code === 'ENOENT' ? 'file not found' : `cannot read file (${code ?? (error as Error).message})`;
    throw new IndexLoadError(path, reason, { cause: error });
  }
}

// vectors.f32 is little-endian whatever the host, so saved indexes move between machines.
const hostIsLittleEndian = endianness() === 'LE';

export function toLittleEndian(values: Float32Array): Buffer {
  const bytes = Buffer.from(values.buffer, values.byteOffset, values.byteLength);
  return hostIsLittleEndian ? bytes : Buffer.from(bytes).swap32();
}

export function fromLittleEndian(bytes: Buffer): Float32Array {
  // Copy rather than view: a Buffer's offset into its ArrayBuffer need not be 4-byte aligned.
  const values = new Float32Array(bytes.byteLength / 4);
  const view = Buffer.from(values.buffer);
  bytes.copy(view);
  if (!hostIsLittleEndian) view.swap32();
  return values;
}
