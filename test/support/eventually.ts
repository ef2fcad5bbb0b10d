/**
 * Waits for something asynchronous the tests cannot await directly (an order stored by the pipeline, a
 * message on a queue): polls `probe` until it returns a value, or fails naming `what` after `timeoutMs`.
 */
export const eventually = async <T>(
  probe: () => Promise<T | undefined> | T | undefined,
  what: string,
  timeoutMs = 30_000,
  intervalMs = 200,
): Promise<T> => {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
};
