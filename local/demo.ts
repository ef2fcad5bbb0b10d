/**
 * `npm run demo`: sends the demo shop's orders to a running local stack (`npm start`) with the real
 * EventBridge client, step by step, so the outbox and the tracking pages fill while you watch. The same
 * PutEvents call a shop's code makes against AWS; only the endpoint differs.
 */
import { EventBridgeClient, PutEventsCommand } from '@aws-sdk/client-eventbridge';
import { DEFAULT_EVENT_SOURCE, type OrderEvent } from '../functions/domain/order-events.js';
import { demoOrders } from './demo-orders.js';
import { LOCAL_CREDENTIALS, LOCAL_REGION } from './dynamodb-local.js';
import { discoverStack } from './stack-discovery.js';

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
  options: {
    stepMs?: number;
    log?: (line: string) => void;
    orders?: ReturnType<typeof demoOrders>;
    eventBusName?: string;
  } = {},
) => {
  const log = options.log ?? console.log;
  const client = new EventBridgeClient({ endpoint, region: LOCAL_REGION, credentials: LOCAL_CREDENTIALS });
  const orders = options.orders ?? demoOrders();
  const longest = Math.max(...orders.map((order) => order.events.length));
  try {
    for (let step = 0; step < longest; step++) {
      const entries = orders.flatMap((order) => order.events.slice(step, step + 1));
      const result = await client.send(
        new PutEventsCommand({
          Entries: entries.map((event) => toPutEventsEntry(event, options.eventBusName)),
        }),
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

/**
 * Where the demo sends its events: ORDER_NOTIFICATIONS_PORT_EVENTBRIDGE when set (explicit wins), else
 * the bus of the stack `npm start` runs (its discovery file), else an error that says what to do.
 */
export const demoTarget = (
  env: Readonly<Record<string, string | undefined>> = process.env,
  isAlive?: (pid: number) => boolean,
): { endpoint: string; eventBusName: string; from: string } | { error: string } => {
  const port = env.ORDER_NOTIFICATIONS_PORT_EVENTBRIDGE;
  if (port !== undefined && port !== '') {
    const number = Number(port);
    if (!Number.isInteger(number) || number < 1 || number > 65_535) {
      return { error: `ORDER_NOTIFICATIONS_PORT_EVENTBRIDGE=${port} is not a port number (1-65535)` };
    }
    return {
      endpoint: `http://127.0.0.1:${number}`,
      eventBusName: 'orders',
      from: 'ORDER_NOTIFICATIONS_PORT_EVENTBRIDGE',
    };
  }
  const found = discoverStack(env, isAlive);
  if (found.kind !== 'running') {
    return { error: `${found.message} (or set ORDER_NOTIFICATIONS_PORT_EVENTBRIDGE to its bus's port)` };
  }
  return { endpoint: found.stack.urls.eventBridge, eventBusName: found.stack.eventBusName, from: found.file };
};

if (import.meta.url === `file://${process.argv[1]}`) {
  const target = demoTarget();
  if ('error' in target) {
    console.error(`The demo found no local stack: ${target.error}`);
    process.exit(1);
  }
  const { endpoint } = target;
  console.log(`Sending the demo shop's orders to ${endpoint} (from ${target.from}) …`);
  const orders = demoOrders();
  for (const order of orders) console.log(`- ${order.orderNumber}: ${order.story}`);
  runDemo(endpoint, { orders, eventBusName: target.eventBusName }).then(
    () => console.log('Done. Open the outbox to see every message, and each order’s tracking page.'),
    (error: Error) => {
      console.error(
        `The demo could not reach the local bus at ${endpoint}: ${error.message}\nIs \`npm start\` running?`,
      );
      process.exit(1);
    },
  );
}
