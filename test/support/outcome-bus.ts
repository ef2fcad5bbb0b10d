/**
 * The project's local EventBridge (local/eventbridge-local.ts) with one rule on the notification outcomes
 * (`source: order-notifications`), as a shop's CRM would subscribe: the events the production
 * EventBridgeOutcomePublisher puts with a real client are read back as the rule delivers them.
 */
import { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import { OUTCOME_SOURCE } from '../../functions/adapters/eventbridge-outcome-publisher.js';
import { LOCAL_CREDENTIALS, LOCAL_REGION } from '../../local/dynamodb-local.js';
import {
  type BusEvent,
  type EventBridgeLocal,
  startEventBridgeLocal,
} from '../../local/eventbridge-local.js';

export interface OutcomeBus {
  readonly bus: EventBridgeLocal;
  /** A real client pointed at the local bus. */
  readonly client: EventBridgeClient;
  /** The outcome events the rule delivered since the last `clear`, oldest first (waits for deliveries under way). */
  delivered(): Promise<BusEvent[]>;
  clear(): void;
  stop(): Promise<void>;
}

export const startOutcomeBus = async (eventBusName: string): Promise<OutcomeBus> => {
  const bus = await startEventBridgeLocal();
  let delivered: BusEvent[] = [];
  bus.addRule({
    name: 'notification-outcomes',
    eventBusName,
    pattern: { source: [OUTCOME_SOURCE] },
    target: async (event) => {
      delivered.push(event);
    },
  });
  const client = new EventBridgeClient({
    endpoint: bus.endpoint,
    region: LOCAL_REGION,
    credentials: LOCAL_CREDENTIALS,
  });
  return {
    bus,
    client,
    delivered: async () => {
      await bus.idle();
      return [...delivered];
    },
    clear: () => {
      delivered = [];
    },
    stop: async () => {
      client.destroy();
      await bus.stop();
    },
  };
};
