import * as z from 'zod';

/**
 * Reads a function's configuration from its environment once, at module initialisation, and fails the
 * cold start with every problem listed rather than failing later on the first event.
 */
export const readConfig = <T extends z.ZodRawShape>(
  shape: T,
  env: NodeJS.ProcessEnv = process.env,
): z.output<z.ZodObject<T>> => {
  const parsed = z.object(shape).safeParse(env);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`);
    throw new Error(`invalid function configuration: ${problems.join('; ')}`);
  }
  return parsed.data;
};
