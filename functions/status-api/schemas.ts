/**
 * The status API's request and response contract (zod). docs/openapi.json is generated from these and
 * from the order view schema by scripts/generate-openapi.ts.
 */
import * as z from 'zod';
import { SHOP_ID_MESSAGE, SHOP_ID_PATTERN } from '../domain/order-events.js';
import {
  ContactViewSchema,
  LocalizedDateSchema,
  LocalizedDateTimeSchema,
  MoneyViewSchema,
  OrderViewSchema,
} from '../domain/order-view.js';

export const LOOKUP_CONTACT_MESSAGE = 'expected the e-mail address or phone number given with the order';

/** A string field whose every message says what is expected, never what was sent. */
const text = (min: number, max: number) =>
  z
    .string({ error: (issue) => (issue.input === undefined ? 'is required' : 'expected a string') })
    .trim()
    .min(min, min === 1 ? 'must not be empty' : `must be at least ${min} characters`)
    .max(max, `must be at most ${max} characters`);

export const LookupRequestSchema = z
  .strictObject(
    {
      shopId: text(1, 64)
        .regex(SHOP_ID_PATTERN, SHOP_ID_MESSAGE)
        .describe('The shop the order was placed in.'),
      orderNumber: text(1, 64).describe('The order number the customer sees, e.g. ZAM/2026/11/0042.'),
      contact: text(3, 254)
        .refine(
          (value) => value.includes('@') || (value.match(/\d/g) ?? []).length >= 9,
          LOOKUP_CONTACT_MESSAGE,
        )
        .describe(
          'The e-mail address (any case) or the phone number (any formatting, with or without the country code) given with the order.',
        ),
    },
    {
      error: (issue) =>
        issue.code === 'unrecognized_keys'
          ? `unknown field(s): ${issue.keys.join(', ')}`
          : 'expected a JSON object',
    },
  )
  .describe('What a customer without the link knows about their order.');

export type LookupRequestBody = z.output<typeof LookupRequestSchema>;

export const LookupResponseSchema = z
  .object({ trackingUrl: z.url().describe("The order's tracking page.") })
  .describe('The tracking page of the order that matched.');

export const ErrorResponseSchema = z
  .object({
    error: z
      .enum([
        'bad_request',
        'not_found',
        'method_not_allowed',
        'payload_too_large',
        'uri_too_long',
        'unsupported_media_type',
        'too_many_requests',
        'service_unavailable',
        'internal_error',
      ])
      .describe('Stable machine-readable code.'),
    message: z.string().describe('What was wrong, naming the field or header; never echoes the value sent.'),
  })
  .describe('Every error response.');

export type ErrorCode = z.output<typeof ErrorResponseSchema>['error'];

/** The schemas published as OpenAPI components, by name. */
export const STATUS_API_SCHEMAS = z.registry<{ id: string }>();
for (const [id, schema] of Object.entries({
  OrderView: OrderViewSchema,
  LocalizedDateTime: LocalizedDateTimeSchema,
  LocalizedDate: LocalizedDateSchema,
  Money: MoneyViewSchema,
  Contact: ContactViewSchema,
  LookupRequest: LookupRequestSchema,
  LookupResponse: LookupResponseSchema,
  Error: ErrorResponseSchema,
})) {
  STATUS_API_SCHEMAS.add(schema, { id });
}
