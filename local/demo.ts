/**
 * `npm run demo`: sends the demo shop's orders to a running local stack (`npm start`) with the real
 * EventBridge client, step by step, so the outbox and the tracking pages fill while you watch. The same
 * PutEvents call a shop's code makes against AWS; only the endpoint differs.
 */
import { EventBridgeClient, PutEventsCommand } from '@aws-sdk/client-eventbridge';
import { DEFAULT_EVENT_SOURCE, type OrderEvent } from '../functions/domain/order-events.js';
import { demoOrders } from './demo-orders.js';
import { LOCAL_CREDENTIALS, LOCAL_REGION } from './dynamodb-local.js';
import { DEFAULT_PORTS } from './ports.js';

export const toPutEventsEntry = (event: OrderEvent, eventBusName = 'orders') => {
  const { type, ...detail } = event;
  return {
    EventBusName: eventBusName,
    Source: DEFAULT_EVENT_SOURCE,
    DetailType: type,
    Detail: JSON.stringify(detail),
  };
};

export const runDemo = async (
  endpoint: string,
  options: { stepMs?: number; log?: (line: string) => void; orders?: ReturnType<typeof demoOrders> } = {},
) => {
  const log = options.log ?? console.log;
  const client = new EventBridgeClient({ endpoint, region: LOCAL_REGION, credentials: LOCAL_CREDENTIALS });
  const orders = options.orders ?? demoOrders();
  const longest = Math.max(...orders.map((order) => order.events.length));
  try {
    for (let step = 0; step < longest; step++) {
      const entries = orders.flatMap((order) => order.events.slice(step, step + 1));
      const result = await client.send(
        new PutEventsCommand({ Entries: entries.map((event) => toPutEventsEntry(event)) }),
      );
      if (result.FailedEntryCount) throw new Error(`the bus refused ${result.FailedEntryCount} event(s)`);
      for (const event of entries) log(`  ${event.orderNumber}  ${event.type}`);
      await new Promise((resolve) => setTimeout(resolve, options.stepMs ?? 1500));
    }
  } finally {
    client.destroy();
  }
  return orders;
};

if (import.meta.url === `file://${process.argv[1]}`) {
  const port = Number(process.env.ORDER_NOTIFICATIONS_PORT_EVENTBRIDGE ?? DEFAULT_PORTS.eventBridge);
  const endpoint = `http://127.0.0.1:${port}`;
  console.log(`Sending the demo shop's orders to ${endpoint} …`);
  const orders = demoOrders();
  for (const order of orders) console.log(`- ${order.orderNumber}: ${order.story}`);
  runDemo(endpoint, { orders }).then(
    () => console.log('Done. Open the outbox to see every message, and each order’s tracking page.'),
    (error: Error) => {
      console.error(
        `The demo could not reach the local bus at ${endpoint}: ${error.message}\nIs \`npm start\` running?`,
      );
      process.exit(1);
    },
  );
}
