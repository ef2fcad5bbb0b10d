import { Duration, RemovalPolicy, Stack, Validations } from 'aws-cdk-lib';
import { AccessLogFormat } from 'aws-cdk-lib/aws-apigateway';
import {
  type CfnStage,
  CorsHttpMethod,
  type CorsPreflightOptions,
  HttpApi,
  HttpMethod,
  type HttpRoute,
  HttpStage,
  LogGroupLogDestination,
} from 'aws-cdk-lib/aws-apigatewayv2';
import { HttpLambdaIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import type { ITableV2 } from 'aws-cdk-lib/aws-dynamodb';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import type { ISecret } from 'aws-cdk-lib/aws-secretsmanager';
import { Construct } from 'constructs';
import { TRACKING_TOKEN_INDEX } from '../functions/adapters/dynamodb-order-repository.js';
import { FUNCTION_TIMEOUT_SECONDS } from '../functions/commons/function-timeouts.js';
import { grantSecretValue, secretEnvironment } from './function-secrets.js';
import { grantIndexQuery, grantItemAccess, type ItemAccess } from './order-table-access.js';
import { ServiceFunction } from './service-function.js';
import type { ShopRegistry } from './shop-registry.js';
import { FUNCTION_SERVICE_NAMES, functionEnvironment } from './wiring.js';

/** The default stage's throttling: all clients together, on top of the function's per-client limits. */
export interface StatusApiThrottling {
  /** Steady-state requests per second. */
  readonly rateLimit: number;
  /** Requests allowed in a burst above the rate. */
  readonly burstLimit: number;
}

/**
 * 50 requests a second, bursts of 100. Customers open a tracking link after a message: even a shop
 * that sends 20,000 "shipped" e-mails in one afternoon sees a few requests a second, so this is ten
 * times the peak. What it is for is the bill: each request is a Lambda invocation and a DynamoDB
 * write (the per-client counter), so a flood from many addresses — which the per-client limits cannot
 * stop — is capped at about 4.3 million requests a day instead of the account's 10,000 a second.
 */
export const DEFAULT_STATUS_API_THROTTLING: StatusApiThrottling = { rateLimit: 50, burstLimit: 100 };

/**
 * `POST /v1/lookup` on its own, tighter: each request guesses an order number and a contact, and a real
 * customer asks once (docs/status-api.md).
 */
export const DEFAULT_LOOKUP_THROTTLING: StatusApiThrottling = { rateLimit: 5, burstLimit: 10 };

/**
 * The access log line, as JSON. Neither the path nor the query string: the path carries the tracking
 * token and the query string the unsubscribe token, and both are bearer secrets. `routeKey` is the
 * matched route's template (`GET /t/{token}`), never the token itself.
 */
export const ACCESS_LOG_FIELDS: Readonly<Record<string, string>> = {
  requestId: '$context.requestId',
  requestTime: '$context.requestTimeEpoch',
  ip: '$context.identity.sourceIp',
  method: '$context.httpMethod',
  routeKey: '$context.routeKey',
  status: '$context.status',
  latency: '$context.responseLatency',
  integrationLatency: '$context.integrationLatency',
  responseLength: '$context.responseLength',
  userAgent: '$context.identity.userAgent',
  integrationError: '$context.integrationErrorMessage',
};

/**
 * What the status API does to the table: read an order's partition and its notification log (Query),
 * an order number's claim (GetItem: the lookup), read the few attributes of an order's state item a
 * lookup compares (GetItem with a projection), count requests (UpdateItem on rate-limit counters). Plus
 * Query on the tracking-token index.
 */
export const STATUS_API_TABLE_ACCESS: readonly ItemAccess[] = [
  { actions: ['dynamodb:Query'], partitions: ['orders', 'notifications'] },
  { actions: ['dynamodb:GetItem'], partitions: ['orders', 'orderNumbers'] },
  { actions: ['dynamodb:UpdateItem'], partitions: ['rateLimits'] },
];

/** What the unsubscribe function does to the table: add a suppression. It reads nothing. */
export const UNSUBSCRIBE_TABLE_ACCESS: readonly ItemAccess[] = [
  { actions: ['dynamodb:PutItem'], partitions: ['suppressions'] },
];

export interface StatusApiProps {
  /** The order table the status is read from. */
  readonly table: ITableV2;
  /** The shops served, read by the functions through their cache. */
  readonly shopRegistry: ShopRegistry;
  /** Verifies the unsubscribe links (the sender signs them with the same secret). */
  readonly unsubscribeSecret: ISecret;
  /** Keys the HMAC of client addresses in the rate-limit counters. */
  readonly rateLimitSalt: ISecret;
  /**
   * Throttling of the default stage (all clients together).
   * @default DEFAULT_STATUS_API_THROTTLING: 50 requests a second, bursts of 100
   */
  readonly throttling?: StatusApiThrottling;
  /**
   * Throttling of `POST /v1/lookup` (all clients together), below the stage's.
   * @default DEFAULT_LOOKUP_THROTTLING: 5 requests a second, bursts of 10
   */
  readonly lookupThrottling?: StatusApiThrottling;
  /**
   * Origins allowed to call the API from a browser (CORS), e.g. `https://shop.example.pl`. The tracking
   * page is served by the API itself and needs none.
   * @default - no CORS: other origins' scripts cannot read the responses
   */
  readonly corsAllowedOrigins?: readonly string[];
  /**
   * How long the functions' logs and the access logs are kept.
   * @default RetentionDays.ONE_MONTH
   */
  readonly logRetention?: RetentionDays;
}

const ORIGIN = /^(\*|https:\/\/[A-Za-z0-9.-]+(:\d{1,5})?|http:\/\/(localhost|127\.0\.0\.1)(:\d{1,5})?)$/;

/**
 * The public HTTP API: the order status (JSON and the tracking page), the lookup by order number, and
 * the unsubscribe page. Every route is public by design (the token in the link is the credential);
 * the function limits each client, and the stage throttles everyone together.
 */
export class StatusApi extends Construct {
  readonly httpApi: HttpApi;
  readonly stage: HttpStage;
  readonly accessLogGroup: LogGroup;
  readonly statusFunction: ServiceFunction;
  readonly unsubscribeFunction: ServiceFunction;
  readonly throttling: StatusApiThrottling;
  readonly lookupThrottling: StatusApiThrottling;

  constructor(scope: Construct, id: string, props: StatusApiProps) {
    super(scope, id);

    this.throttling = checkThrottling(
      this.node.path,
      'throttling',
      props.throttling ?? DEFAULT_STATUS_API_THROTTLING,
    );
    this.lookupThrottling = checkThrottling(
      this.node.path,
      'lookupThrottling',
      props.lookupThrottling ?? DEFAULT_LOOKUP_THROTTLING,
    );
    const origins = props.corsAllowedOrigins ?? [];
    const badOrigin = origins.findIndex((origin) => !ORIGIN.test(origin));
    if (badOrigin !== -1) {
      throw new Error(
        `${this.node.path}: corsAllowedOrigins[${badOrigin}] must be an origin such as https://shop.example.pl (no path), got ${JSON.stringify(origins[badOrigin])}`,
      );
    }
    const logRetention = props.logRetention ?? RetentionDays.ONE_MONTH;

    this.statusFunction = new ServiceFunction(this, 'StatusFunction', {
      entry: 'functions/status-api/index.ts',
      // The name functions/status-api/index.ts gives its Logger.
      serviceName: FUNCTION_SERVICE_NAMES['status-api'],
      description: 'Order status: JSON, the tracking page and the lookup by order number',
      timeout: Duration.seconds(FUNCTION_TIMEOUT_SECONDS['status-api']),
      logRetention,
      environment: functionEnvironment('status-api', {
        ORDERS_TABLE_NAME: props.table.tableName,
        ...props.shopRegistry.environment(),
        ...secretEnvironment('RATE_LIMIT_SALT', props.rateLimitSalt),
      }),
    });
    grantSecretValue(this.statusFunction, props.rateLimitSalt);
    grantItemAccess(this.statusFunction, props.table, STATUS_API_TABLE_ACCESS);
    props.shopRegistry.grantRead(this.statusFunction);
    grantIndexQuery(this.statusFunction, props.table, [TRACKING_TOKEN_INDEX]);

    this.unsubscribeFunction = new ServiceFunction(this, 'UnsubscribeFunction', {
      entry: 'functions/unsubscribe/index.ts',
      serviceName: FUNCTION_SERVICE_NAMES.unsubscribe,
      description: 'The unsubscribe page behind the signed link in every message',
      timeout: Duration.seconds(FUNCTION_TIMEOUT_SECONDS.unsubscribe),
      logRetention,
      environment: functionEnvironment('unsubscribe', {
        ORDERS_TABLE_NAME: props.table.tableName,
        ...props.shopRegistry.environment(),
        ...secretEnvironment('UNSUBSCRIBE_SECRET', props.unsubscribeSecret),
      }),
    });
    grantSecretValue(this.unsubscribeFunction, props.unsubscribeSecret);
    grantItemAccess(this.unsubscribeFunction, props.table, UNSUBSCRIBE_TABLE_ACCESS);
    props.shopRegistry.grantRead(this.unsubscribeFunction);

    const cors: CorsPreflightOptions | undefined =
      origins.length > 0
        ? {
            allowOrigins: [...origins],
            allowMethods: [CorsHttpMethod.GET, CorsHttpMethod.POST],
            allowHeaders: ['content-type'],
            maxAge: Duration.days(1),
          }
        : undefined;
    this.httpApi = new HttpApi(this, 'HttpApi', {
      apiName: `${Stack.of(this).stackName}-status`,
      description: 'Order status, tracking page and unsubscribe',
      // The stage below is the default one, with throttling and access logs HttpApi cannot set.
      createDefaultStage: false,
      corsPreflight: cors,
    });

    const status = new HttpLambdaIntegration('StatusIntegration', this.statusFunction.function);
    const unsubscribe = new HttpLambdaIntegration(
      'UnsubscribeIntegration',
      this.unsubscribeFunction.function,
    );
    // Each method a path takes has its own route (HEAD answers like GET without a body), so the access
    // log's routeKey names it; ANY sends every other method to the function too, which answers 405 with
    // an Allow header instead of API Gateway's bare 404.
    const routes: HttpRoute[] = [];
    for (const [path, methods, integration] of [
      ['/v1/orders/{token}', [HttpMethod.GET, HttpMethod.HEAD], status],
      ['/t/{token}', [HttpMethod.GET, HttpMethod.HEAD], status],
      ['/v1/lookup', [HttpMethod.POST], status],
      ['/v1/unsubscribe', [HttpMethod.GET, HttpMethod.HEAD, HttpMethod.POST], unsubscribe],
    ] as const) {
      for (const method of [...methods, HttpMethod.ANY]) {
        routes.push(...this.httpApi.addRoutes({ path, methods: [method], integration }));
      }
    }
    Validations.of(this.httpApi).acknowledge({
      id: 'AwsSolutions-APIG4',
      reason:
        'Public by design: customers open these links from e-mails and SMS without an account. The ' +
        'credential is in the link (a 192-bit tracking token, an HMAC-signed unsubscribe token); the lookup ' +
        'needs the order number plus the e-mail or phone on the order, and is rate limited per client. The ' +
        "platform webhook route (lib/platform-connectors.ts) authenticates each delivery by the platform's " +
        "HMAC signature under the shop's own secret, before anything is read from it.",
    });

    this.accessLogGroup = new LogGroup(this, 'AccessLogs', {
      retention: logRetention,
      removalPolicy: RemovalPolicy.DESTROY,
    });
    this.stage = new HttpStage(this, 'DefaultStage', {
      httpApi: this.httpApi,
      stageName: '$default',
      autoDeploy: true,
      throttle: { ...this.throttling },
      accessLogSettings: {
        destination: new LogGroupLogDestination(this.accessLogGroup),
        format: AccessLogFormat.custom(JSON.stringify(ACCESS_LOG_FIELDS)),
      },
    });
    // A route setting names a route key that must already exist when the stage is created or updated.
    this.stage.node.addDependency(...routes);
    // Per-route settings are not exposed by HttpStage. RouteSettings is a plain JSON map in the CFN
    // types, so its keys are written in CloudFormation's own casing.
    (this.stage.node.defaultChild as CfnStage).routeSettings = {
      'POST /v1/lookup': {
        ThrottlingRateLimit: this.lookupThrottling.rateLimit,
        ThrottlingBurstLimit: this.lookupThrottling.burstLimit,
      },
    };
  }

  /** The API's base URL (`https://<id>.execute-api.<region>.amazonaws.com`), for shops without a custom domain. */
  get url(): string {
    return this.httpApi.apiEndpoint;
  }
}

const checkThrottling = (
  path: string,
  name: string,
  throttling: StatusApiThrottling,
): StatusApiThrottling => {
  const { rateLimit, burstLimit } = throttling;
  if (!(Number.isFinite(rateLimit) && rateLimit > 0 && rateLimit <= 10_000)) {
    throw new Error(`${path}: ${name}.rateLimit must be above 0 and at most 10000, got ${rateLimit}`);
  }
  if (!(Number.isInteger(burstLimit) && burstLimit >= 1 && burstLimit <= 5_000)) {
    throw new Error(`${path}: ${name}.burstLimit must be an integer from 1 to 5000, got ${burstLimit}`);
  }
  return throttling;
};
