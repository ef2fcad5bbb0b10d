/**
 * The platform connectors' adapters: per-shop webhook secrets from Secrets Manager, and the translated
 * events onto the bus.
 *
 * A shop's webhook secret lives in Secrets Manager under `<prefix><shopId>/<platform>` (the prefix is the
 * deployment's, CONNECTOR_SECRETS_PREFIX; the function may read that prefix only). It is read the first
 * time a delivery for the shop arrives and again once SECRET_CACHE_SECONDS have passed, like the
 * functions' own secrets: a change of secret is live within that time, without a deploy, and during it
 * the secret may hold `{"current": "...", "previous": ["..."]}` so both are accepted. A shop whose secret
 * does not exist is remembered as such for the same time, so deliveries for it cost no Secrets Manager
 * call each. Only shops whose registry entry has the connector reach this.
 */
import type { Logger } from '@aws-lambda-powertools/logger';
import type { SecretsProvider } from '@aws-lambda-powertools/parameters/secrets';
import type { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import type {
  ConnectorEvent,
  ConnectorEventBus,
  ConnectorSecrets,
  WebhookPlatform,
} from '../domain/connectors/ports.js';
import type { KeyRing } from '../domain/key-ring.js';
import type { Clock } from '../domain/ports.js';
import { putAllEntries } from './put-events-batches.js';
import { readKeyRing } from './secrets-manager-secrets.js';

/** The shortest webhook secret taken (WooCommerce generates 50 characters when asked). */
export const MIN_WEBHOOK_SECRET_LENGTH = 16;

/** The one rule for a connector secret's name: `<prefix><shopId>/<platform>`. */
export const connectorSecretName = (prefix: string, shopId: string, platform: WebhookPlatform): string =>
  `${prefix}${shopId}/${platform}`;

interface CachedSecret {
  readonly ring: KeyRing | undefined;
  readonly readAt: number;
}

const isNotFound = (error: unknown): boolean => {
  for (let cause: unknown = error, depth = 0; cause && depth < 4; depth++) {
    if (cause instanceof Error && cause.name === 'ResourceNotFoundException') return true;
    cause = cause instanceof Error ? cause.cause : undefined;
  }
  return false;
};

export class SecretsManagerConnectorSecrets implements ConnectorSecrets {
  private readonly cache = new Map<string, CachedSecret>();

  constructor(
    private readonly provider: SecretsProvider,
    private readonly options: {
      readonly prefix: string;
      readonly cacheSeconds: number;
      readonly logger: Logger;
      readonly clock?: Clock;
    },
  ) {}

  async keys(shopId: string, platform: WebhookPlatform): Promise<KeyRing | undefined> {
    const name = connectorSecretName(this.options.prefix, shopId, platform);
    const now = (this.options.clock ?? { now: () => new Date() }).now().getTime();
    const cached = this.cache.get(name);
    if (cached && now - cached.readAt < this.options.cacheSeconds * 1000) return cached.ring;
    let ring: KeyRing | undefined;
    try {
      ring = await readKeyRing(this.provider, name, { name, minLength: MIN_WEBHOOK_SECRET_LENGTH });
    } catch (error) {
      if (!isNotFound(error) && cached?.ring) {
        // An outage keeps the secret in force, as the functions' own secrets do.
        this.options.logger.warn('connector secret refresh failed: the value in force stays', {
          secret: name,
          error: error instanceof Error ? error.name : 'unknown',
        });
        this.cache.set(name, { ring: cached.ring, readAt: now });
        return cached.ring;
      }
      this.options.logger.warn('connector secret cannot be used', {
        secret: name,
        error: error instanceof Error ? `${error.name}: ${error.message}` : 'unknown',
      });
      ring = undefined;
    }
    this.cache.set(name, { ring, readAt: now });
    return ring;
  }
}

/** The translated events onto the bus, as few PutEvents as the limits allow, every entry checked. */
export class EventBridgeConnectorBus implements ConnectorEventBus {
  constructor(
    private readonly client: EventBridgeClient,
    private readonly eventBusName: string,
  ) {}

  put(source: string, events: readonly ConnectorEvent[]): Promise<void> {
    return putAllEntries(
      this.client,
      events.map((event) => ({
        EventBusName: this.eventBusName,
        Source: source,
        DetailType: event.detailType,
        Detail: JSON.stringify(event.detail),
      })),
    );
  }
}
