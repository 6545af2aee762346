// The stored form of a CWE id, for the zod schemas of files that keep CWE labels (corpus entries,
// CWE examples). Stored ids are already normalized, so other spellings are refused, not fixed.
import { z } from 'zod';

export const cweIdSchema = z.string().regex(/^CWE-[1-9]\d*$/, 'expected a CWE id like "CWE-89"');
