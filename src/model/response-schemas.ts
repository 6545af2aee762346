// The parts of OpenAI-style replies we use, as zod schemas; anything else in the body is ignored.

import { z } from 'zod';

/** `/chat/completions`: a null `content` (e.g. a refusal) reads as an empty sample. */
export const chatResponseSchema = z.object({
  choices: z.array(z.object({ message: z.object({ content: z.string().nullable() }) })).min(1, 'no choices returned'),
});

/** `/completions`. */
export const completionResponseSchema = z.object({
  choices: z.array(z.object({ text: z.string() })).min(1, 'no choices returned'),
});

export function chatSamples(reply: z.output<typeof chatResponseSchema>): string[] {
  return reply.choices.map((choice) => choice.message.content ?? '');
}

export function completionSamples(reply: z.output<typeof completionResponseSchema>): string[] {
  return reply.choices.map((choice) => choice.text);
}
