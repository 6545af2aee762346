// Zod schemas of the parts of a SARIF 2.1.0 log that SecCoder reads. They accept unknown keys (SARIF
// has many we do not use) and check the ones we read.
import { z } from 'zod';

const levelSchema = z.enum(['none', 'note', 'warning', 'error']);
const index = z.number().int().nonnegative();
const propertiesSchema = z.object({
  tags: z.array(z.string()).optional(),
  /** CodeQL's CVSS-like score ("7.5"), what GitHub shows as the alert's security severity. */
  'security-severity': z.union([z.string(), z.number()]).optional(),
});

export const sarifRuleSchema = z.object({
  id: z.string().min(1),
  shortDescription: z.object({ text: z.string() }).optional(),
  defaultConfiguration: z.object({ level: levelSchema.optional() }).optional(),
  properties: propertiesSchema.optional(),
});
export type SarifRule = z.infer<typeof sarifRuleSchema>;

const artifactLocationSchema = z.object({
  uri: z.string().min(1).optional(),
  uriBaseId: z.string().optional(),
  index: index.optional(),
});

const locationSchema = z.object({
  physicalLocation: z
    .object({
      artifactLocation: artifactLocationSchema.optional(),
      region: z
        .object({
          startLine: z.number().int().positive().optional(),
          endLine: z.number().int().positive().optional(),
        })
        .optional(),
    })
    .optional(),
});

export const sarifResultSchema = z.object({
  ruleId: z.string().min(1).optional(),
  ruleIndex: index.optional(),
  rule: z
    .object({
      id: z.string().min(1).optional(),
      index: index.optional(),
      toolComponent: z.object({ index: index.optional(), name: z.string().optional() }).optional(),
    })
    .optional(),
  message: z.object({ text: z.string().optional(), markdown: z.string().optional() }),
  level: levelSchema.optional(),
  locations: z.array(locationSchema).optional(),
  suppressions: z.array(z.object({ status: z.string().optional() })).optional(),
  baselineState: z.string().optional(),
  properties: propertiesSchema.optional(),
});
export type SarifResult = z.infer<typeof sarifResultSchema>;

const toolComponentSchema = z.object({
  name: z.string().optional(),
  // Rules are checked one by one so a bad rule does not shift the indexes results point at.
  rules: z.array(z.unknown()).optional(),
});

export const sarifRunSchema = z.object({
  tool: z.object({ driver: toolComponentSchema, extensions: z.array(toolComponentSchema).optional() }),
  // Results are checked one by one so a bad result drops only itself.
  results: z.array(z.unknown()).optional(),
  // Only looked up through results' indexes and base ids; read defensively where used.
  artifacts: z.array(z.unknown()).optional(),
  originalUriBaseIds: z.record(z.string(), z.unknown()).optional(),
});
export type SarifRun = z.infer<typeof sarifRunSchema>;

// Runs are checked one by one so a bad run drops only itself.
export const sarifLogSchema = z.object({ runs: z.array(z.unknown()) });
