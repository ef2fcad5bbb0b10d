/**
 * The platform connectors' webhook route: `POST /v1/webhooks/woocommerce/{shopId}` on the public HTTP
 * API. Each delivery is authenticated before its body is parsed, translated by the platform's pure rules
 * (functions/domain/connectors/), and the events put on the bus under the connector's source, where they
 * go through the same ingest as any producer's. Every delivery ends in one of:
 *
 * - 200 `ping`: WooCommerce's check when the webhook is created (nothing stored);
 * - 200 `accepted` (events put on the bus) or `unchanged` (the store already says it all);
 * - 200 `ignored`: a topic that is not an order change, counted;
 * - 200 `dead-lettered`: a delivery that cannot be translated, on the connector's dead-letter queue with
 *   the WooCommerce field named (a non-2xx would only count towards WooCommerce disabling the webhook:
 *   it never retries);
 * - 401 for a signature that does not verify (nothing parsed, stored or logged beyond the attempt),
 *   404 for a shop without the connector, 405, 413, and 503 when the bus or the queue cannot take it.
 *
 * The log line of a delivery holds its result, the shop, the topic and the delivery id: never the body.
 */
import type { Logger } from '@aws-lambda-powertools/logger';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import type { DeadLetterSink } from '../adapters/sqs-dead-letters.js';
import {
  type ConnectorEventBus,
  type ConnectorOrderFacts,
  type ConnectorSecrets,
  WEBHOOK_PLATFORMS,
} from '../domain/connectors/ports.js';
import {
  isWooCommercePing,
  sourceFieldOf,
  translateWooCommerceOrder,
  verifyWooCommerceSignature,
  WOOCOMMERCE_ORDER_TOPICS,
  WOOCOMMERCE_SOURCE,
} from '../domain/connectors/woocommerce.js';
import { acceptedKeys } from '../domain/key-ring.js';
import { parseOrderEvent } from '../domain/order-events.js';
import type { ShopDirectory } from '../domain/shop-registry.js';
import { header, jsonResponse } from '../status-api/http.js';

/** The route's path; `{platform}` and `{shopId}` are the segments after `/v1/webhooks/`. */
export const WEBHOOK_ROUTE = '/v1/webhooks/{platform}/{shopId}';

/** The largest body taken: an order of 200 lines is about 150 KB as WooCommerce sends it. */
export const MAX_WEBHOOK_BODY_BYTES = 1024 * 1024;

export interface WebhookDeps {
  readonly shops: ShopDirectory;
  readonly secrets: ConnectorSecrets;
  readonly orders: ConnectorOrderFacts;
  readonly bus: ConnectorEventBus;
  readonly deadLetters: DeadLetterSink;
  readonly logger: Logger;
  readonly clock?: { now(): Date };
}

export type WebhookResult =
  | 'ping'
  | 'accepted'
  | 'unchanged'
  | 'ignored'
  | 'dead-lettered'
  | 'unauthorized'
  | 'not-found'
  | 'method-not-allowed'
  | 'too-large'
  | 'unavailable';

/** The API's JSON response (its security and no-store headers), with any headers of the route's own. */
const json = (
  statusCode: number,
  body: Record<string, unknown>,
  headers: Record<string, string> = {},
): APIGatewayProxyStructuredResultV2 => {
  const response = jsonResponse(statusCode, body);
  return { ...response, headers: { ...response.headers, ...headers } };
};

const PATH = /^\/v1\/webhooks\/([a-z0-9-]{1,32})\/([a-z0-9][a-z0-9-]{0,63})\/?$/;

/** The delivery id as WooCommerce makes it (a 32-character hash); anything else is not logged. */
const deliveryIdOf = (event: APIGatewayProxyEventV2): string | undefined => {
  const id = header(event, 'x-wc-webhook-delivery-id');
  return id && /^[A-Za-z0-9]{1,64}$/.test(id) ? id : undefined;
};

/** The message of the one log line per delivery, which the CDK's metric filter counts by result. */
export const WEBHOOK_DELIVERY_MESSAGE = 'webhook delivery';

/** WooCommerce does not retry: the shop sends the order again by saving it (docs/connectors.md). */
const UNAVAILABLE =
  'the delivery could not be handed on and was not recorded; save the order in WooCommerce again to resend it';

const TOPIC = /^[a-z_]{1,32}\.[a-z_]{1,64}$/;

export const makeWebhookHandler = (deps: WebhookDeps) => {
  const clock = deps.clock ?? { now: () => new Date() };

  const finish = (
    result: WebhookResult,
    response: APIGatewayProxyStructuredResultV2,
    fields: Record<string, unknown>,
  ): APIGatewayProxyStructuredResultV2 => {
    const level =
      result === 'unavailable'
        ? 'error'
        : result === 'dead-lettered' || result === 'unauthorized'
          ? 'warn'
          : 'info';
    deps.logger[level](WEBHOOK_DELIVERY_MESSAGE, { result, statusCode: response.statusCode, ...fields });
    return response;
  };

  const handle = async (event: APIGatewayProxyEventV2): Promise<APIGatewayProxyStructuredResultV2> => {
    const match = PATH.exec(event.rawPath);
    const platform = match?.[1];
    const shopId = match?.[2];
    if (!match || !platform || !shopId || !(WEBHOOK_PLATFORMS as readonly string[]).includes(platform)) {
      return finish('not-found', json(404, { message: 'no such webhook route' }), {});
    }
    const fields: Record<string, unknown> = { platform, shopId };
    if (event.requestContext.http.method !== 'POST') {
      return finish('method-not-allowed', json(405, { message: 'use POST' }, { allow: 'POST' }), fields);
    }
    const raw = Buffer.from(event.body ?? '', event.isBase64Encoded ? 'base64' : 'utf8');
    if (raw.length > MAX_WEBHOOK_BODY_BYTES) {
      return finish(
        'too-large',
        json(413, { message: `the body is over ${MAX_WEBHOOK_BODY_BYTES} bytes` }),
        fields,
      );
    }

    const shop = await deps.shops.get(shopId);
    const connector = shop?.state === 'deleted' ? undefined : shop?.config.connectors?.woocommerce;
    if (!shop || !connector) {
      return finish(
        'not-found',
        json(404, { message: `shop ${shopId} has no WooCommerce connector in this deployment` }),
        fields,
      );
    }

    const signature = header(event, 'x-wc-webhook-signature');
    if (isWooCommercePing(raw.toString('utf8'), signature)) {
      return finish('ping', json(200, { result: 'ping' }), fields);
    }
    const keys = await deps.secrets.keys(shopId, 'woocommerce');
    if (!keys) {
      return finish(
        'unavailable',
        json(503, { message: 'the webhook secret of this shop is not set up in this deployment' }),
        { ...fields, problem: 'no webhook secret' },
      );
    }
    if (!verifyWooCommerceSignature(raw, signature, acceptedKeys(keys))) {
      return finish('unauthorized', json(401, { message: 'the signature does not verify' }), fields);
    }

    // Authenticated from here on: the headers are WooCommerce's.
    const topicHeader = header(event, 'x-wc-webhook-topic') ?? '';
    const topic = TOPIC.test(topicHeader) ? topicHeader : 'unknown';
    const deliveryId = deliveryIdOf(event);
    Object.assign(fields, { topic, ...(deliveryId ? { deliveryId } : {}) });
    if (!(WOOCOMMERCE_ORDER_TOPICS as readonly string[]).includes(topic)) {
      return finish(
        'ignored',
        json(200, { result: 'ignored', reason: `topic ${topic} is not an order change` }),
        fields,
      );
    }

    const deadLetter = async (field: string, problem: string) => {
      const reason = `${field}: ${problem}`;
      try {
        await deps.deadLetters.send({
          body: JSON.stringify({
            platform,
            shopId,
            topic,
            deliveryId,
            receivedAt: clock.now().toISOString(),
            payload: raw.toString('utf8'),
          }),
          reason: `WooCommerce delivery for shop ${shopId} cannot be translated: ${reason}`,
          errorType: 'UntranslatableDeliveryError',
          sourceMessageId: deliveryId ?? 'none',
          receiveCount: 1,
        });
      } catch (error) {
        return finish('unavailable', json(503, { message: UNAVAILABLE }), {
          ...fields,
          reason,
          error: error instanceof Error ? error.name : 'unknown',
        });
      }
      return finish('dead-lettered', json(200, { result: 'dead-lettered', reason }), { ...fields, reason });
    };

    let payload: unknown;
    try {
      payload = JSON.parse(raw.toString('utf8'));
    } catch {
      return deadLetter('body', 'is not JSON');
    }
    const orderId =
      payload && typeof payload === 'object' && 'id' in payload && Number.isSafeInteger(payload.id)
        ? String(payload.id)
        : undefined;
    const stored = orderId ? await deps.orders.loadConnectorFacts({ shopId, orderId }) : undefined;
    const translation = translateWooCommerceOrder(payload, {
      shopId,
      language: shop.config.defaultLanguage,
      connector,
      stored,
    });
    if (translation.kind === 'untranslatable') return deadLetter(translation.field, translation.problem);
    Object.assign(fields, { orderId, ...(translation.notes.length > 0 ? { notes: translation.notes } : {}) });

    // The ingest checks the contract again; checked here too, so a delivery it would refuse is
    // dead-lettered with the WooCommerce field named, not our contract's.
    for (const translated of translation.events) {
      const parsed = parseOrderEvent(translated.type, translated.detail);
      if (!parsed.ok) {
        const [problem] = parsed.problems;
        return deadLetter(
          problem ? sourceFieldOf(translated, problem.path) : translated.type,
          problem?.message ?? 'does not fit the event contract',
        );
      }
    }
    if (translation.events.length === 0) {
      return finish(
        'unchanged',
        json(200, { result: 'unchanged', events: 0, notes: translation.notes }),
        fields,
      );
    }
    try {
      await deps.bus.put(
        WOOCOMMERCE_SOURCE,
        translation.events.map((translated) => ({ detailType: translated.type, detail: translated.detail })),
      );
    } catch (error) {
      return finish('unavailable', json(503, { message: UNAVAILABLE }), {
        ...fields,
        error: error instanceof Error ? error.name : 'unknown',
      });
    }
    const types = translation.events.map((translated) => translated.type);
    return finish(
      'accepted',
      json(200, { result: 'accepted', events: types.length, types, notes: translation.notes }),
      {
        ...fields,
        events: types.length,
        types,
      },
    );
  };

  // The registry, the store or Secrets Manager not answering: a 503 WooCommerce counts, not a bare 500.
  return async (event: APIGatewayProxyEventV2): Promise<APIGatewayProxyStructuredResultV2> => {
    try {
      return await handle(event);
    } catch (error) {
      return finish('unavailable', json(503, { message: UNAVAILABLE }), {
        path: PATH.test(event.rawPath) ? event.rawPath : 'other',
        error: error instanceof Error ? error.name : 'unknown',
      });
    }
  };
};
