/** Default ports of `npm start`, each overridable with ORDER_NOTIFICATIONS_PORT_<NAME>. */
export const DEFAULT_PORTS = {
  api: 3000,
  /** The outbox (every message, with addresses and tokens): its own port, never the public API's. */
  outbox: 3001,
  eventBridge: 4010,
  sqs: 4011,
  sns: 4012,
  ses: 4013,
  secrets: 4014,
  dynamodb: 8000,
} as const;

export type PortName = keyof typeof DEFAULT_PORTS;

const ENV_NAMES: Record<PortName, string> = {
  api: 'ORDER_NOTIFICATIONS_PORT_API',
  outbox: 'ORDER_NOTIFICATIONS_PORT_OUTBOX',
  eventBridge: 'ORDER_NOTIFICATIONS_PORT_EVENTBRIDGE',
  sqs: 'ORDER_NOTIFICATIONS_PORT_SQS',
  sns: 'ORDER_NOTIFICATIONS_PORT_SNS',
  ses: 'ORDER_NOTIFICATIONS_PORT_SES',
  secrets: 'ORDER_NOTIFICATIONS_PORT_SECRETS',
  dynamodb: 'ORDER_NOTIFICATIONS_PORT_DYNAMODB',
};

/** The ports from the environment, with a clear error for a value that is not a port. */
export const portsFromEnvironment = (env: NodeJS.ProcessEnv = process.env): Record<PortName, number> =>
  Object.fromEntries(
    (Object.keys(DEFAULT_PORTS) as PortName[]).map((name) => {
      const raw = env[ENV_NAMES[name]];
      if (raw === undefined || raw === '') return [name, DEFAULT_PORTS[name]];
      const port = Number(raw);
      if (!Number.isInteger(port) || port < 1 || port > 65_535) {
        throw new Error(`${ENV_NAMES[name]}=${raw} is not a port number (1-65535)`);
      }
      return [name, port];
    }),
  ) as Record<PortName, number>;
