/**
 * `order show`: what happened to an order and why — its state, its timeline with each event's outcome,
 * the notifications with theirs, and the tracking link.
 */
import type { Command } from 'commander';
import { formatMoney } from '../../functions/domain/i18n.js';
import { CHANNELS } from '../../functions/domain/notification-log.js';
import type { Money } from '../../functions/domain/order-events.js';
import type { OrderState, Outcome } from '../../functions/domain/order-lifecycle.js';
import { type CommandContext, checkShopId } from '../context.js';
import { CliError, EXIT, type ExitCode, formatFields, readTextInput, usageError } from '../io.js';
import { type LoadedOrder, loadOrder, trackingLinkOf } from '../orders.js';
import type { Action } from '../program.js';

/** Plain spaces (Intl puts no-break spaces in amounts), so the output greps as it reads. */
const money = (amount: number, currency: string | undefined): string =>
  currency ? formatMoney(amount, currency, 'en').replace(/[\u00a0\u202f]/g, ' ') : String(amount);
const moneyOf = (value: Money | undefined): string => (value ? money(value.amount, value.currency) : '');

const reasonOf = (outcome: Outcome): string => ('reason' in outcome ? outcome.reason : '');

const orNone = (text: string | undefined): string => (text && text.length > 0 ? text : '—');

/** The state as label/value lines: everything an operator asks about first. */
export const describeState = (state: OrderState): Array<[string, string]> => {
  const currency = state.totals?.currency;
  const { payment, customer, delivery, hold, shipment, cancellation } = state;
  const channels = customer
    ? CHANNELS.filter((channel) => customer.channels[channel]).join(', ') || 'none'
    : '';
  return [
    ['Status', `${state.status}${state.statusSince ? ` since ${state.statusSince}` : ''}`],
    ['Placed', orNone(state.placedAt)],
    [
      'Total',
      state.totals
        ? `${money(state.totals.total, currency)} (${state.lines?.length ?? 0} line(s), shipping ${money(state.totals.shipping, currency)})`
        : '—',
    ],
    [
      'Payment',
      [
        payment.status,
        payment.method,
        payment.paid
          ? `paid ${moneyOf(payment.paid)}${payment.received.length > 1 ? ` in ${payment.received.length} payments` : ''} at ${payment.paidAt}`
          : undefined,
        payment.status === 'partially_paid' && state.totals
          ? `due ${money(state.totals.total - (payment.paid?.amount ?? 0), currency)}`
          : undefined,
        payment.refunded > 0 ? `refunded ${money(payment.refunded, currency)}` : undefined,
      ]
        .filter(Boolean)
        .join(', '),
    ],
    [
      'Customer',
      customer
        ? [
            customer.name,
            customer.email,
            customer.phone,
            customer.pushTargets.length > 0 ? `${customer.pushTargets.length} push device(s)` : undefined,
            customer.locale,
            customer.timeZone,
            `channels: ${channels}`,
          ]
            .filter(Boolean)
            .join(', ')
        : '—',
    ],
    [
      'Delivery',
      delivery
        ? [delivery.method, delivery.carrier, `${delivery.postcode} ${delivery.city}`, delivery.country]
            .filter(Boolean)
            .join(', ')
        : '—',
    ],
    [
      'Hold',
      hold
        ? `${hold.reason} since ${hold.since}, contact by ${hold.contactBy}: ${hold.toConfirm} (resumes to ${hold.resumeTo})`
        : '—',
    ],
    [
      'Shipment',
      shipment
        ? [
            `${shipment.carrier} (${shipment.method}) ${shipment.trackingNumber}`,
            `shipped ${shipment.at}`,
            shipment.expectedDeliveryDate ? `expected ${shipment.expectedDeliveryDate}` : undefined,
            shipment.outForDeliveryAt ? `out for delivery ${shipment.outForDeliveryAt}` : undefined,
            shipment.deliveredAt ? `delivered ${shipment.deliveredAt}` : undefined,
            shipment.trackingUrl,
          ]
            .filter(Boolean)
            .join(', ')
        : '—',
    ],
    [
      'Cancellation',
      cancellation
        ? [
            `by ${cancellation.cancelledBy} at ${cancellation.at} in ${cancellation.stage}`,
            `reason ${cancellation.reason}`,
            `fault ${cancellation.fault}`,
            cancellation.refund ? `refund ${moneyOf(cancellation.refund.amount)}` : undefined,
            cancellation.costsRetained ? `costs retained ${moneyOf(cancellation.costsRetained)}` : undefined,
            cancellation.note,
          ]
            .filter(Boolean)
            .join(', ')
        : '—',
    ],
    [
      'Returns',
      orNone(
        state.returns
          .map(
            (entry) =>
              `${entry.returnId}: ${entry.status} (${entry.lines.map((line) => `${line.quantity}× ${line.sku}`).join(', ')})`,
          )
          .join('; '),
      ),
    ],
    [
      'Complaints',
      orNone(
        state.complaints
          .map(
            (entry) =>
              `${entry.complaintId}: ${entry.kind} ${entry.status}${entry.outcome ? ` (${entry.outcome}, ${entry.remedy})` : ''}`,
          )
          .join('; '),
      ),
    ],
  ];
};

/** The whole of one order for scripts: what `--json` prints (one of these, or a list of them). */
const documentOf = (order: LoadedOrder, trackingUrl: string | undefined) => {
  const { state, timeline } = order.history;
  const received = new Map(order.snapshot.events.map((stored) => [stored.event.eventId, stored.receivedAt]));
  return {
    order: {
      shopId: order.key.shopId,
      orderId: order.key.orderId,
      orderNumber: state.orderNumber,
      status: state.status,
      version: order.snapshot.version,
      erased: order.erasedAt !== undefined,
      erasedAt: order.erasedAt ?? null,
      trackingUrl: trackingUrl ?? null,
    },
    state,
    timeline: timeline.map((entry) => ({
      eventId: entry.event.eventId,
      type: entry.event.type,
      occurredAt: entry.event.occurredAt,
      receivedAt: received.get(entry.event.eventId) ?? null,
      outcome: entry.outcome.kind,
      reason: reasonOf(entry.outcome) || null,
      event: entry.event,
    })),
    notifications: order.notifications,
  };
};

const print = (context: CommandContext, order: LoadedOrder, trackingUrl: string | undefined): void => {
  const { state, timeline } = order.history;
  const received = new Map(order.snapshot.events.map((stored) => [stored.event.eventId, stored.receivedAt]));
  const out = context.out;
  out.line(`Order ${state.orderNumber} (${order.key.orderId}) of shop ${order.key.shopId}`);
  out.line();
  context.io.stdout.write(
    formatFields([
      ...describeState(state),
      ['Tracking link', orNone(trackingUrl)],
      ...(order.erasedAt
        ? ([['Erased', `personal data erased on request at ${order.erasedAt}`]] as const)
        : []),
    ]),
  );
  out.line();
  out.line(`Timeline (${timeline.length} event(s), in lifecycle order)`);
  out.table(
    ['#', 'OCCURRED AT', 'RECEIVED AT', 'EVENT', 'EVENT ID', 'OUTCOME', 'REASON'],
    timeline.map((entry, index) => [
      String(index + 1),
      entry.event.occurredAt,
      received.get(entry.event.eventId) ?? '',
      entry.event.type,
      entry.event.eventId,
      entry.outcome.kind,
      reasonOf(entry.outcome),
    ]),
  );
  out.line();
  if (order.notifications.length === 0) {
    out.line('Notifications: none recorded.');
  } else {
    out.line(`Notifications (${order.notifications.length})`);
    out.table(
      ['EVENT', 'CHANNEL', 'TEMPLATE', 'LANG', 'OUTCOME', 'TRIES', 'ADDRESS', 'UPDATED AT', 'REASON'],
      order.notifications.map((record) => [
        record.eventType,
        record.fallbackFor ? `${record.channel} (for ${record.fallbackFor})` : record.channel,
        record.template,
        record.language,
        record.outcome,
        String(record.attempts),
        record.address ?? '',
        record.updatedAt,
        [record.reason, record.deliverAfter ? `after ${record.deliverAfter}` : undefined]
          .filter(Boolean)
          .join('; '),
      ]),
    );
  }
};

/** The ids of a `--from-file` list: one per line; blank lines and `#` comments are skipped. */
export const referencesOf = (text: string): string[] =>
  text
    .split(/\r?\n/)
    .map((line) => line.trim())
    .filter((line) => line.length > 0 && !line.startsWith('#'));

/** How many orders are read at once in a batch: enough to hide latency, few enough not to throttle. */
const BATCH_CONCURRENCY = 8;
/** Most ids in one call (a mistyped file would otherwise read a whole table's worth). */
export const MAX_BATCH = 10_000;

interface ShowOptions {
  readonly shops?: string;
  readonly fromFile?: string;
}

const show = async (
  context: CommandContext,
  shopId: string,
  given: readonly string[],
  options: ShowOptions,
): Promise<ExitCode> => {
  checkShopId(shopId);
  const { shop, source: file } = await context.shopFor(shopId, options.shops);
  let references = [...given];
  if (options.fromFile !== undefined) {
    references.push(...referencesOf(await readTextInput(context.io, options.fromFile)));
  }
  references = [...new Set(references)];
  if (references.length === 0) {
    throw usageError(
      'no order given: name one or more orders, or --from-file <file> (one id or number per line)',
    );
  }
  if (references.length > MAX_BATCH) {
    throw usageError(`${references.length} orders given; at most ${MAX_BATCH} per call`);
  }
  const single = references.length === 1 && options.fromFile === undefined;
  if (!shop) context.out.warn(`shop ${shopId} is not in ${file}: no tracking link`);
  const localApi = context.localStack()?.urls.api;
  const linkOf = (order: LoadedOrder) =>
    trackingLinkOf(shop, order.snapshot.trackingToken, order.history.state.customer?.locale, localApi);

  if (single) {
    const order = await loadOrder(context, shopId, references[0] as string);
    if (context.out.json) context.out.result(documentOf(order, linkOf(order)));
    else print(context, order, linkOf(order));
    return EXIT.ok;
  }

  // A batch: one client, a few reads at a time, every order in the order given; a missing one is
  // reported and does not stop the rest.
  const results: Array<LoadedOrder | CliError> = new Array(references.length);
  let next = 0;
  const worker = async () => {
    while (next < references.length) {
      const index = next++;
      try {
        results[index] = await loadOrder(context, shopId, references[index] as string);
      } catch (error) {
        if (error instanceof CliError && error.exitCode === EXIT.notFound) results[index] = error;
        else throw error;
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(BATCH_CONCURRENCY, references.length) }, worker));
  const notFound = references.filter((_, index) => results[index] instanceof CliError);
  // An order named twice (by its id and by its number) is shown once.
  const keys = new Set<string>();
  const found = results.filter((result): result is LoadedOrder => {
    if (result instanceof CliError || keys.has(result.key.orderId)) return false;
    keys.add(result.key.orderId);
    return true;
  });

  if (context.out.json) {
    context.out.result({
      shopId,
      requested: references.length,
      found: found.length,
      notFound,
      orders: found.map((order) => documentOf(order, linkOf(order))),
    });
  } else {
    found.forEach((order, index) => {
      if (index > 0) context.out.line(`\n${'-'.repeat(72)}\n`);
      print(context, order, linkOf(order));
    });
    context.out.line();
    context.out.line(`${found.length} of ${references.length} order(s) shown; ${notFound.length} not found`);
  }
  for (const reference of notFound) {
    context.out.warn(
      `no order ${JSON.stringify(reference)} of shop ${shopId} (looked up as an id and as a number)`,
    );
  }
  return notFound.length > 0 ? EXIT.notFound : EXIT.ok;
};

export const registerOrderShow = (order: Command, action: Action): void => {
  order
    .command('show')
    .description('Show an order: state, timeline with outcomes, notifications with outcomes, tracking link')
    .argument('<shopId>', 'the shop, e.g. sklep-pod-debem')
    .argument(
      '[orderIdOrNumber...]',
      'the order id, or the number the customer sees (e.g. ZAM/2026/11/0042); several at once',
    )
    .option('--from-file <file>', 'also the orders listed in a file, one id or number per line (- for stdin)')
    .option(
      '--shops <file>',
      'shops configuration, for the tracking link (default: the shop registry when one is known, else $SHOPS_CONFIG_FILE, else config/shops.example.json)',
    )
    .addHelpText(
      'after',
      `
Examples:
  $ order-notifications order show sklep-pod-debem ZAM/2026/11/0042 --table OrderTable-1A2B3C
  $ ORDERS_TABLE_NAME=orders order-notifications order show sklep-pod-debem ord-000042 --json | jq .notifications
  $ order-notifications order show sklep-pod-debem --from-file ids.txt --json | jq -r '.orders[].order.status'

With several orders (or --from-file) the orders are read with one client in one process; --json prints
{ requested, found, notFound, orders: [...] }, and the exit code is 3 when any was not found.`,
    )
    .action(
      action((context, shopId: string, references: string[], options: ShowOptions) =>
        show(context, shopId, references, options),
      ),
    );
};
