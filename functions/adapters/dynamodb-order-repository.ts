/**
 * The order store on DynamoDB (single table; design and operation counts in docs/dynamodb.md).
 *
 *   pk = ORDER#<shopId>#<orderId>   sk = STATE            the order's current state (a projection)
 *   pk = ORDER#<shopId>#<orderId>   sk = EVENT#<eventId>  one item per distinct event: timeline + duplicate guard
 *
 *   pk = ORDERNUMBER#<shopId>#<orderNumber>  sk = CLAIM  the order holding that number in its shop (unique)
 *   pk = CONTACT#<shopId>#<contactKey>  sk = ORDER#<orderId>  an order whose placement holds that contact
 *
 * The claim and the contact entries are written in the transaction of an Order Placed, so an order number
 * is held by one order of a shop at most, and the erasure finds every order holding a person by a Query.
 * GSI byTrackingToken (trackingToken) and GSI byOrderNumber (shopOrderNumber) are sparse and KEYS_ONLY.
 * The key formats are functions/adapters/table-keys.ts's.
 */
import { TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import {
  type DynamoDBDocumentClient,
  GetCommand,
  paginateQuery,
  QueryCommand,
  TransactWriteCommand,
} from '@aws-sdk/lib-dynamodb';
import type { StoredOrderFacts } from '../domain/connectors/woocommerce.js';
import type { OrderEvent } from '../domain/order-events.js';
import type {
  AppendRequest,
  AppendResult,
  LookupFields,
  OrderKey,
  OrderRepository,
  OrderSnapshot,
  StoredEvent,
} from '../domain/ports.js';
import {
  CLAIM_SK,
  contactPk,
  contactSk,
  eventSk,
  orderNumberPk,
  orderPk,
  parseEventSk,
  parseOrderPk,
  STATE_SK,
  shopOrderNumber,
} from './table-keys.js';

export const TRACKING_TOKEN_INDEX = 'byTrackingToken';
export const ORDER_NUMBER_INDEX = 'byOrderNumber';

interface StateItem {
  pk: string;
  sk: typeof STATE_SK;
  version: number;
  trackingToken?: string;
  orderNumber?: string;
  erasedAt?: string;
  updatedAt?: string;
  shopId: string;
  orderId: string;
}

interface EventItem {
  pk: string;
  sk: string;
  event: OrderEvent;
  receivedAt: string;
}

export class DynamoDbOrderRepository implements OrderRepository {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async load(key: OrderKey): Promise<OrderSnapshot | undefined> {
    let state: StateItem | undefined;
    const events: StoredEvent[] = [];
    const pages = paginateQuery(
      { client: this.client },
      {
        TableName: this.tableName,
        KeyConditionExpression: 'pk = :pk',
        ExpressionAttributeValues: { ':pk': orderPk(key) },
        ConsistentRead: true,
      },
    );
    for await (const page of pages) {
      for (const item of page.Items ?? []) {
        if (item.sk === STATE_SK) state = item as StateItem;
        else if (parseEventSk(item.sk) !== undefined) {
          const { event, receivedAt } = item as EventItem;
          events.push({ event, receivedAt });
        }
      }
    }
    if (!state) return undefined;
    return {
      version: state.version,
      events,
      trackingToken: state.trackingToken,
      orderNumber: state.orderNumber,
      erasedAt: state.erasedAt,
      updatedAt: state.updatedAt,
    };
  }

  /**
   * The few attributes of an order's state item a lookup by order number compares (never its events or
   * lines): one small GetItem whatever the order's size, so a wrong contact costs what a miss costs.
   */
  async loadLookupFields(key: OrderKey): Promise<LookupFields | undefined> {
    const result = await this.client.send(
      new GetCommand({
        TableName: this.tableName,
        Key: { pk: orderPk(key), sk: STATE_SK },
        ProjectionExpression:
          '#orderNumber, #token, #status, #state.#customer.#email, #state.#customer.#phone, #state.#delivery.#country',
        ExpressionAttributeNames: {
          '#orderNumber': 'orderNumber',
          '#token': 'trackingToken',
          '#status': 'status',
          '#state': 'state',
          '#customer': 'customer',
          '#email': 'email',
          '#phone': 'phone',
          '#delivery': 'delivery',
          '#country': 'country',
        },
      }),
    );
    const item = result.Item as
      | (Pick<StateItem, 'orderNumber' | 'trackingToken'> & {
          status?: string;
          state?: { customer?: { email?: string; phone?: string }; delivery?: { country?: string } };
        })
      | undefined;
    if (!item) return undefined;
    return {
      orderNumber: item.orderNumber,
      trackingToken: item.trackingToken,
      status: item.status,
      customer: item.state?.customer,
      country: item.state?.delivery?.country,
    };
  }

  /**
   * What a platform connector compares a snapshot with (functions/domain/connectors/): the status and the
   * ids of the payments and refunds recorded, projected from the state item (no events, no personal data).
   */
  async loadConnectorFacts(key: OrderKey): Promise<StoredOrderFacts | undefined> {
    const result = await this.client.send(
      new GetCommand({
        TableName: this.tableName,
        Key: { pk: orderPk(key), sk: STATE_SK },
        ProjectionExpression: '#status, #state.#payment.#received, #state.#payment.#refunds',
        ExpressionAttributeNames: {
          '#status': 'status',
          '#state': 'state',
          '#payment': 'payment',
          '#received': 'received',
          '#refunds': 'refunds',
        },
      }),
    );
    const item = result.Item as
      | {
          status?: string;
          state?: { payment?: { received?: { eventId?: string }[]; refunds?: { refundId?: string }[] } };
        }
      | undefined;
    if (!item) return undefined;
    const payment = item.state?.payment;
    return {
      status: item.status,
      paymentEventIds: (payment?.received ?? []).flatMap((entry) => (entry.eventId ? [entry.eventId] : [])),
      refundIds: (payment?.refunds ?? []).flatMap((entry) => (entry.refundId ? [entry.refundId] : [])),
    };
  }

  async append(request: AppendRequest): Promise<AppendResult> {
    const pk = orderPk(request.key);
    const { state } = request.history;
    const { shopId, orderId } = request.key;
    const version = (request.expectedVersion ?? 0) + 1;
    const placement = request.event.event.type === 'Order Placed';
    // An Order Placed claims the placed order's number in its shop (idempotently: the same order may
    // claim it again) and enters its customer's contact in the erasure index.
    const placementItems = placement
      ? [
          {
            Put: {
              TableName: this.tableName,
              Item: {
                pk: orderNumberPk(shopId, state.orderNumber),
                sk: CLAIM_SK,
                shopId,
                orderId,
                orderNumber: state.orderNumber,
              },
              ConditionExpression: 'attribute_not_exists(pk) OR orderId = :orderId',
              ExpressionAttributeValues: { ':orderId': orderId },
            },
          },
          ...request.contactKeys.map((key) => ({
            Put: {
              TableName: this.tableName,
              Item: { pk: contactPk(shopId, key), sk: contactSk(orderId), shopId, orderId },
            },
          })),
        ]
      : [];
    try {
      await this.client.send(
        new TransactWriteCommand({
          TransactItems: [
            {
              Put: {
                TableName: this.tableName,
                Item: {
                  pk,
                  sk: eventSk(request.event.event.eventId),
                  type: request.event.event.type,
                  occurredAt: request.event.event.occurredAt,
                  event: request.event.event,
                  receivedAt: request.event.receivedAt,
                } satisfies EventItem & Record<string, unknown>,
                ConditionExpression: 'attribute_not_exists(pk)',
              },
            },
            {
              Put: {
                TableName: this.tableName,
                Item: {
                  pk,
                  sk: STATE_SK,
                  shopId: request.key.shopId,
                  orderId: request.key.orderId,
                  orderNumber: state.orderNumber,
                  shopOrderNumber: shopOrderNumber(request.key.shopId, state.orderNumber),
                  status: state.status,
                  version,
                  trackingToken: request.trackingToken,
                  state,
                  // What the notifier diffs between the stream's old and new images: the events whose
                  // outcome is applied. A late event can apply earlier ones too (a late Order Placed).
                  appliedEventIds: request.history.timeline
                    .filter((entry) => entry.outcome.kind === 'applied')
                    .map((entry) => entry.event.eventId),
                  lastEventId: request.event.event.eventId,
                  updatedAt: request.event.receivedAt,
                },
                ...(request.expectedVersion === undefined
                  ? { ConditionExpression: 'attribute_not_exists(pk)' }
                  : {
                      ConditionExpression: 'version = :expected',
                      ExpressionAttributeValues: { ':expected': request.expectedVersion },
                    }),
              },
            },
            ...placementItems,
          ],
        }),
      );
      return 'ok';
    } catch (error) {
      if (!(error instanceof TransactionCanceledException)) throw error;
      const [eventReason, stateReason, claimReason] = error.CancellationReasons ?? [];
      if (eventReason?.Code === 'ConditionalCheckFailed') return 'event_exists';
      if (stateReason?.Code === 'ConditionalCheckFailed') return 'version_conflict';
      if (placement && claimReason?.Code === 'ConditionalCheckFailed') return 'order_number_taken';
      // Two transactions touched the same items at once: the same as losing the race.
      if (error.CancellationReasons?.some((reason) => reason.Code === 'TransactionConflict')) {
        return 'version_conflict';
      }
      throw error;
    }
  }

  /** Eventually consistent (GSI): fine for links the customer opens seconds after the message. */
  async findByTrackingToken(token: string): Promise<OrderKey | undefined> {
    return this.findOne(TRACKING_TOKEN_INDEX, 'trackingToken', token);
  }

  /**
   * The placed order holding the number: one strongly consistent GetItem of its claim, whether there is
   * one or not (a miss costs what a hit does). Orders not placed yet hold no claim and are not found.
   */
  async findByOrderNumber(shopId: string, orderNumber: string): Promise<OrderKey | undefined> {
    const claim = await this.client.send(
      new GetCommand({
        TableName: this.tableName,
        Key: { pk: orderNumberPk(shopId, orderNumber), sk: CLAIM_SK },
        ConsistentRead: true,
      }),
    );
    const orderId = claim.Item?.orderId;
    return typeof orderId === 'string' ? { shopId, orderId } : undefined;
  }

  private async findOne(index: string, attribute: string, value: string): Promise<OrderKey | undefined> {
    const result = await this.client.send(
      new QueryCommand({
        TableName: this.tableName,
        IndexName: index,
        KeyConditionExpression: '#key = :value',
        ExpressionAttributeNames: { '#key': attribute },
        ExpressionAttributeValues: { ':value': value },
        Limit: 1,
      }),
    );
    const pk = result.Items?.[0]?.pk;
    if (typeof pk !== 'string') return undefined;
    return parseOrderPk(pk);
  }
}
