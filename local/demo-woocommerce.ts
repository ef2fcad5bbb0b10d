/**
 * `npm run demo:woocommerce`: drives the WooCommerce connector of a running local stack (`npm start`) as
 * a WooCommerce shop would: the ping of a new webhook, then one order's deliveries (placed and paid,
 * shipped with a Shipment Tracking parcel, a replay), each signed with the demo shop's local webhook
 * secret and posted to the public API's webhook route. The outbox and the order's tracking page fill as
 * they arrive. The deliveries are fixtures/woocommerce's (WooCommerce's REST v3 order shape).
 */
import {
  phpJson,
  WOO_PING_BODY,
  wooHeaders,
  wooOrder,
  wooOrderShipped,
} from '../fixtures/woocommerce/index.js';
import { discoverStack } from './stack-discovery.js';
import { localWebhookSecret } from './stack-services.js';

/** The demo shop of config/shops.example.json, which has the WooCommerce connector. */
export const DEMO_WOOCOMMERCE_SHOP = 'sklep-pod-debem';

export const runWooCommerceDemo = async (
  apiUrl: string,
  options: { shopId?: string; stepMs?: number; log?: (line: string) => void; orderId?: number } = {},
): Promise<Record<string, unknown>[]> => {
  const log = options.log ?? console.log;
  const shopId = options.shopId ?? DEMO_WOOCOMMERCE_SHOP;
  const url = `${apiUrl}/v1/webhooks/woocommerce/${shopId}`;
  const secret = localWebhookSecret(shopId);
  const orderId = options.orderId ?? 4812;
  const withId = (order: Record<string, unknown>) => ({ ...order, id: orderId, number: String(orderId) });
  const results: Record<string, unknown>[] = [];
  const send = async (what: string, body: string, headers: Record<string, string>) => {
    const response = await fetch(url, { method: 'POST', headers, body });
    const answer = (await response.json()) as Record<string, unknown>;
    results.push({ status: response.status, ...answer });
    log(`  ${what}: ${response.status} ${JSON.stringify(answer)}`);
    if (response.status >= 300) throw new Error(`${what}: the route answered ${response.status}`);
    await new Promise((resolve) => setTimeout(resolve, options.stepMs ?? 1500));
  };
  await send('ping (webhook created)', WOO_PING_BODY, {
    'content-type': 'application/x-www-form-urlencoded',
  });
  for (const [what, topic, order] of [
    ['order.created (processing, paid)', 'order.created', withId(wooOrder())],
    ['order.updated (completed, DPD parcel)', 'order.updated', withId(wooOrderShipped())],
    ['order.updated again (a replay)', 'order.updated', withId(wooOrderShipped())],
  ] as const) {
    const body = phpJson(order);
    await send(what, body, wooHeaders(body, secret, topic));
  }
  return results;
};

if (import.meta.url === `file://${process.argv[1]}`) {
  const found = discoverStack();
  if (found.kind !== 'running') {
    console.error(`The WooCommerce demo found no local stack: ${found.message}`);
    process.exit(1);
  }
  console.log(
    `Posting WooCommerce deliveries for shop ${DEMO_WOOCOMMERCE_SHOP} to ${found.stack.urls.api} …`,
  );
  runWooCommerceDemo(found.stack.urls.api).then(
    () =>
      console.log(`Done. Order 4812 is in the outbox (${found.stack.urls.outbox}) with its tracking page.`),
    (error: Error) => {
      console.error(`The WooCommerce demo failed: ${error.message}`);
      process.exit(1);
    },
  );
}
