/** What the platform connectors need from the outside world; functions/adapters implement it. */
import type { KeyRing } from '../key-ring.js';
import type { OrderEventType } from '../order-events.js';
import type { OrderKey } from '../ports.js';
import type { StoredOrderFacts } from './woocommerce.js';

/** The platforms with a webhook route, by the path segment that names them. */
export const WEBHOOK_PLATFORMS = ['woocommerce'] as const;
export type WebhookPlatform = (typeof WEBHOOK_PLATFORMS)[number];

/** A shop's webhook secret for a platform, as the key ring in force; undefined when there is none. */
export interface ConnectorSecrets {
  keys(shopId: string, platform: WebhookPlatform): Promise<KeyRing | undefined>;
}

/** What the connector reads of a stored order: its status, payments and refunds, nothing personal. */
export interface ConnectorOrderFacts {
  loadConnectorFacts(key: OrderKey): Promise<StoredOrderFacts | undefined>;
}

/** An event for the ingest, as it goes on the bus. */
export interface ConnectorEvent {
  readonly detailType: OrderEventType;
  readonly detail: Record<string, unknown>;
}

/** Puts translated events on the bus under the connector's source; throws when any is not taken. */
export interface ConnectorEventBus {
  put(source: string, events: readonly ConnectorEvent[]): Promise<void>;
}
