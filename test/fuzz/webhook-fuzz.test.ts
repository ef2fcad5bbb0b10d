/**
 * Fuzzing the WooCommerce webhook route with a hostile internet and a careless (or compromised) shop:
 * unsigned garbage, and signed orders with hostile values in the fields the translation reads.
 *
 * Properties: the handler never throws and never answers 5xx; nothing unsigned reaches the bus or the
 * dead letters; every event it puts on the bus passes the contract the ingest checks; every refusal names
 * a field and never echoes a value it was given; and no answer or log line carries an injected value.
 */
import { Logger } from '@aws-lambda-powertools/logger';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import fc from 'fast-check';
import { describe, expect, it, vi } from 'vitest';
import { phpJson, trackingMeta, wooHeaders, wooOrder } from '../../fixtures/woocommerce/index.js';
import type { DeadLetter } from '../../functions/adapters/sqs-dead-letters.js';
import { makeWebhookHandler } from '../../functions/connector-webhooks/webhooks.js';
import type { ConnectorEvent } from '../../functions/domain/connectors/ports.js';
import { parseOrderEvent } from '../../functions/domain/order-events.js';
import { parseShopConfig } from '../../functions/domain/shop-config.js';
import { staticShopDirectory } from '../../functions/domain/shop-registry.js';
import { FUZZ_RUNS, hostileString, hugeString, INJECTIONS, wrongType } from './hostile-input.js';

const SECRET = 'fuzz-webhook-secret-0123456789';
const SHOP = 'sklep-pod-debem';

const setup = () => {
  const published: ConnectorEvent[] = [];
  const deadLetters: DeadLetter[] = [];
  const logs: string[] = [];
  const logger = new Logger({ serviceName: 'platform-connectors', logLevel: 'SILENT' });
  for (const level of ['info', 'warn', 'error'] as const) {
    vi.spyOn(logger, level).mockImplementation((...args: unknown[]) => {
      logs.push(JSON.stringify(args));
    });
  }
  const handler = makeWebhookHandler({
    shops: staticShopDirectory([
      parseShopConfig({
        shopId: SHOP,
        name: 'Sklep',
        statusPage: { baseUrl: 'https://status.example.pl' },
        connectors: { woocommerce: { trackingUrls: { 'dpd-poland': 'https://t.example/{number}' } } },
      }),
    ]),
    secrets: { keys: async () => ({ current: SECRET, previous: [] }) },
    orders: { loadConnectorFacts: async () => undefined },
    bus: { put: async (_source, events) => void published.push(...events) },
    deadLetters: { send: async (letter) => void deadLetters.push(letter) },
    logger,
  });
  return { handler, published, deadLetters, logs };
};

const request = (body: string, headers: Record<string, string>, path?: string, method = 'POST') =>
  ({
    version: '2.0',
    rawPath: path ?? `/v1/webhooks/woocommerce/${SHOP}`,
    rawQueryString: '',
    headers,
    requestContext: { http: { method, path: '', sourceIp: '203.0.113.9' } },
    body,
    isBase64Encoded: false,
  }) as unknown as APIGatewayProxyEventV2;

const status = (response: APIGatewayProxyStructuredResultV2) => response.statusCode ?? 200;

/** The fields the translation reads, as paths into the order. */
const FIELDS: readonly (readonly (string | number)[])[] = [
  ['id'],
  ['number'],
  ['status'],
  ['currency'],
  ['date_created_gmt'],
  ['date_modified_gmt'],
  ['date_paid_gmt'],
  ['total'],
  ['shipping_total'],
  ['payment_method'],
  ['payment_method_title'],
  ['billing'],
  ['billing', 'first_name'],
  ['billing', 'last_name'],
  ['billing', 'email'],
  ['billing', 'phone'],
  ['billing', 'country'],
  ['shipping', 'city'],
  ['shipping', 'postcode'],
  ['line_items'],
  ['line_items', 0, 'name'],
  ['line_items', 0, 'sku'],
  ['line_items', 0, 'quantity'],
  ['line_items', 0, 'subtotal'],
  ['shipping_lines', 0, 'method_title'],
  ['refunds'],
  ['meta_data'],
  ['meta_data', 2, 'value', 0, 'tracking_number'],
  ['meta_data', 2, 'value', 0, 'tracking_provider'],
  ['meta_data', 2, 'value', 0, 'custom_tracking_link'],
  ['meta_data', 2, 'value', 0, 'tracking_id'],
];

const withValue = (path: readonly (string | number)[], value: unknown): Record<string, unknown> => {
  const order = wooOrder();
  order.status = 'completed';
  (order.meta_data as unknown[]).push(trackingMeta());
  let target = order as Record<string | number, unknown>;
  for (const key of path.slice(0, -1)) target = target[key] as Record<string | number, unknown>;
  target[path.at(-1) as string | number] = value;
  return order;
};

describe('Fuzz: the WooCommerce webhook route', () => {
  it('never takes an unsigned or mis-signed request, whatever it holds', async () => {
    const { handler, published, deadLetters } = setup();
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(hostileString(), hugeString(1, 5000), fc.constant(phpJson(wooOrder()))),
        fc.dictionary(
          fc.constantFrom(
            'x-wc-webhook-signature',
            'x-wc-webhook-topic',
            'content-type',
            'x-wc-webhook-delivery-id',
          ),
          hostileString(),
        ),
        fc.constantFrom(
          undefined,
          `/v1/webhooks/woocommerce/${SHOP}`,
          '/v1/webhooks/woocommerce/__proto__',
          '/v1/webhooks/x/y',
        ),
        async (body, headers, path) => {
          const response = await handler(request(body, headers, path));
          expect(status(response)).toBeLessThan(500);
          if (status(response) === 200) expect(JSON.parse(String(response.body))).toEqual({ result: 'ping' });
        },
      ),
      { numRuns: FUZZ_RUNS },
    );
    expect(published).toEqual([]);
    expect(deadLetters).toEqual([]);
  });

  it('a signed order with a hostile value anywhere: valid events or a refusal naming the field, never an echo', async () => {
    const { handler, published, deadLetters, logs } = setup();
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...FIELDS),
        fc.oneof(hostileString(), wrongType(), hugeString(65, 3000), fc.constantFrom(...INJECTIONS)),
        async (path, value) => {
          published.length = 0;
          const body = phpJson(withValue(path, value));
          const response = await handler(request(body, wooHeaders(body, SECRET)));
          expect(status(response)).toBe(200);
          const answer = JSON.parse(String(response.body)) as { result: string; reason?: string };
          expect(['accepted', 'unchanged', 'dead-lettered']).toContain(answer.result);
          for (const event of published) {
            const parsed = parseOrderEvent(event.detailType, event.detail);
            expect(parsed.ok, JSON.stringify(parsed)).toBe(true);
          }
          if (answer.result === 'dead-lettered') {
            expect(answer.reason).toMatch(/^[A-Za-z_[\]0-9.]+( \(of the translated [A-Za-z ]+\))?: /);
            if (typeof value === 'string' && value.length >= 6 && /[^\s.0-9]/.test(value)) {
              expect(answer.reason).not.toContain(value);
            }
          }
        },
      ),
      { numRuns: FUZZ_RUNS },
    );
    // The log lines hold no injected markup from any delivery.
    expect(logs.join('\n')).not.toContain('<script');
    expect(deadLetters.every((letter) => letter.errorType === 'UntranslatableDeliveryError')).toBe(true);
  });
});
