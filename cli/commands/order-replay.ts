/**
 * `order replay`: the template change preview. What each applied event would send now with the current
 * templates and rules, next to what the notification log says happened. Sends nothing, writes nothing.
 */
import type { Command } from 'commander';
import { DynamoDbSuppressionList } from '../../functions/adapters/dynamodb-suppression-list.js';
import type { CommandContext } from '../context.js';
import { EXIT, type ExitCode } from '../io.js';
import { loadOrder } from '../orders.js';
import type { Action } from '../program.js';
import { type PreviewRow, previewNotifications } from '../replay-preview.js';

const NOTE =
  'The notification log stores template ids, languages and outcomes, not message bodies: "same template" ' +
  'means the same template id and language; the wording may differ if the texts or the shop’s overrides ' +
  'changed since. Quiet hours (a delay) and the SMS opt-out list (in SNS) are not checked.';

const describeNow = (row: PreviewRow): string[] => {
  const { now } = row;
  switch (now.action) {
    case 'send': {
      const { message } = now;
      const to = `to ${now.address}`;
      if (message.channel === 'email') return [`send ${to}`, `subject: ${message.subject}`];
      if (message.channel === 'sms') {
        return [`send ${to}`, `text (${message.segments} segment(s), ${message.encoding}): ${message.text}`];
      }
      return [`send ${to}`, `title: ${message.title}`, `body: ${message.body}`];
    }
    case 'skip':
      return [
        `skip: ${now.reason}${now.fallback.length > 0 ? ` (would fall back to ${now.fallback.join(', ')})` : ''}`,
      ];
    case 'supersede':
      return [`supersede: ${now.reason}`];
    case 'not_planned':
      return [`not planned: ${now.reason}`];
  }
};

const replayOrder = async (
  context: CommandContext,
  shopId: string,
  reference: string,
  shopsOption: string | undefined,
): Promise<ExitCode> => {
  const { shop, source: file } = await context.shopFor(shopId, shopsOption);
  const order = await loadOrder(context, shopId, reference);
  if (!shop) context.out.warn(`shop ${shopId} is not in ${file}: the sender would skip every notification`);
  const suppressions = new DynamoDbSuppressionList(context.dynamo(), context.tableName());
  const rows = await previewNotifications(
    {
      suppressed: (channel, address) => suppressions.check(shopId, channel, address),
      disabledPushTokens: (tokens) => suppressions.disabledPushTokens(shopId, tokens),
    },
    {
      shop,
      events: order.snapshot.events.map((stored) => stored.event),
      trackingToken: order.snapshot.trackingToken,
      records: order.notifications,
    },
  );

  const out = context.out;
  const { state } = order.history;
  if (out.json) {
    out.result({
      order: { shopId, orderId: order.key.orderId, orderNumber: state.orderNumber, status: state.status },
      shopsFile: file,
      note: NOTE,
      notifications: rows,
    });
    return EXIT.ok;
  }
  out.line(
    `Replay of order ${state.orderNumber} (${order.key.orderId}) of shop ${shopId} with the current templates and ${file}`,
  );
  out.line(
    'Nothing is sent. Each applied event is judged as the sender judges a job that runs right after it.',
  );
  let current = '';
  for (const row of rows) {
    if (row.eventId !== current) {
      current = row.eventId;
      out.line();
      out.line(
        `${row.eventType} · ${row.eventId} · ${row.occurredAt} · template ${row.template} (${row.language})`,
      );
    }
    const [first, ...rest] = describeNow(row);
    const overrides =
      row.now.action === 'send' && row.overrides.length > 0
        ? ` [shop override: ${row.overrides.join(', ')}]`
        : '';
    out.line(`  ${row.channel.padEnd(5)}  ${first}${overrides}`);
    for (const line of rest) out.line(`         ${line}`);
    const logged = row.logged
      ? `${row.logged.outcome}${row.logged.reason ? `: ${row.logged.reason}` : ''}`
      : '(no record)';
    out.line(`         log: ${logged}`);
    out.line(`         → ${row.comparison}`);
  }
  if (rows.length === 0) {
    out.line();
    out.line('No applied event of this order is told on any channel.');
  }
  out.line();
  out.line(NOTE);
  return EXIT.ok;
};

export const registerOrderReplay = (order: Command, action: Action): void => {
  order
    .command('replay')
    .description(
      "Preview the order's notifications with the current templates and rules, compared with the notification log; sends nothing",
    )
    .argument('<shopId>', 'the shop')
    .argument('<orderIdOrNumber>', 'the order id, or the number the customer sees')
    .option(
      '--shops <file>',
      'the shops configuration to preview with (default: the shop registry when one is known, else $SHOPS_CONFIG_FILE, else config/shops.example.json)',
    )
    .addHelpText(
      'after',
      `
Use it as the template change preview: point --shops at the changed configuration and read what each
order would now receive.

Examples:
  $ order-notifications order replay sklep-pod-debem ZAM/2026/11/0042 --shops config/shops.json
  $ order-notifications order replay sklep-pod-debem ord-000042 --shops new-shops.json --json | jq '.notifications[] | .comparison'`,
    )
    .action(
      action((context, shopId: string, reference: string, options: { shops?: string }) =>
        replayOrder(context, shopId, reference, options.shops),
      ),
    );
};
