/**
 * `npm start`: the whole backend offline. Prints where everything is; Ctrl-C stops it cleanly.
 * `npm start -- --demo` also sends the demo shop's orders once the stack is up.
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { runDemo } from './demo.js';
import { JavaMissingError } from './dynamodb-local.js';
import { portsFromEnvironment } from './ports.js';
import { quietHoursFromEnvironment } from './quiet-hours.js';
import { type LocalStack, startLocalStack } from './stack.js';
import { removeStackFile, stackFilePath, writeStackFile } from './stack-discovery.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

const describe = (stack: LocalStack, dataDir: string) => `
order-notifications is running offline.

  Outbox (every e-mail, SMS and push; orders with timelines)   ${stack.urls.outbox}
  Status API and tracking pages                                ${stack.urls.api}/v1/orders/{token}, ${stack.urls.api}/t/{token}
  EventBridge endpoint (PutEvents, bus "${stack.eventBusName}", source "${stack.eventSource}")   ${stack.urls.eventBridge}

  Send events from your shop's code with the real SDK, pointed here:
    new EventBridgeClient({ endpoint: '${stack.urls.eventBridge}', region: 'eu-central-1',
                            credentials: { accessKeyId: 'local', secretAccessKey: 'local' } })
  Or run the demo shop:   npm run demo

  Behind it: DynamoDB Local ${stack.urls.dynamodb} (data in ${path.relative(ROOT, dataDir) || dataDir}), SES ${stack.urls.ses},
  SQS ${stack.urls.sqs}, SNS ${stack.urls.sns}, Secrets Manager ${stack.urls.secrets}

Ctrl-C stops everything.
`;

const main = async () => {
  let ports: ReturnType<typeof portsFromEnvironment>;
  let quietHours: ReturnType<typeof quietHoursFromEnvironment>;
  try {
    ports = portsFromEnvironment();
    quietHours = quietHoursFromEnvironment();
  } catch (error) {
    console.error((error as Error).message);
    process.exit(2);
  }
  // ORDER_NOTIFICATIONS_DATA_DIR: another data dir (a second checkout, the kill/restart test).
  const dataDir = path.resolve(process.env.ORDER_NOTIFICATIONS_DATA_DIR || path.join(ROOT, '.local', 'data'));
  let stack: LocalStack;
  try {
    stack = await startLocalStack({ ports, quietHours, dataDir });
  } catch (error) {
    if (error instanceof JavaMissingError) console.error(error.message);
    else
      console.error(
        `The local stack could not start: ${error instanceof Error ? error.message : String(error)}`,
      );
    process.exit(1);
  }
  // Where the demo, the CLI and any second process find this stack (removed again on a clean stop).
  const stackFile = stackFilePath(process.env, dataDir);
  writeStackFile(stackFile, stack);
  console.log(describe(stack, dataDir));
  console.log(`  Discovery file (read by \`npm run demo\` and the CLI): ${stackFile}\n`);

  let stopping = false;
  const stop = async () => {
    if (stopping) return;
    stopping = true;
    console.log('\nStopping…');
    removeStackFile(stackFile);
    await stack.stop();
    process.exit(0);
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);

  if (process.argv.includes('--demo')) {
    console.log('Sending the demo orders…');
    await runDemo(stack.urls.eventBridge);
    console.log(`Demo sent. Open ${stack.urls.outbox}`);
  }
};

await main();
