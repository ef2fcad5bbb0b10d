/** Waiting for the local pipeline to finish what it was given. */
import { type LocalServices, QUEUE_NAMES } from '../local/stack-services.js';
import type { LocalWorkers } from '../local/stack-workers.js';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Resolves true once both queues are empty (messages in flight or hidden included), no invocation runs,
 * and nothing has started for `quietMs` (longer than the pollers' intervals and batching windows); false
 * when `timeoutMs` runs out first.
 */
export const waitUntilSettled = async (
  services: LocalServices,
  workers: LocalWorkers,
  options: { readonly timeoutMs: number; readonly quietMs?: number },
): Promise<boolean> => {
  const deadline = Date.now() + options.timeoutMs;
  const quietMs = options.quietMs ?? 3000;
  while (Date.now() < deadline) {
    await services.eventBridge.idle();
    const queued =
      services.sqs.peek(QUEUE_NAMES.orderEvents).length + services.sqs.peek(QUEUE_NAMES.jobs).length;
    if (queued === 0 && workers.inFlight() === 0 && Date.now() - workers.lastActivity() > quietMs)
      return true;
    await sleep(250);
  }
  return false;
};
