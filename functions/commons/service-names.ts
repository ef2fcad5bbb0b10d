/**
 * The `service` of every function's logs: one list, read by the loggers (functions/commons/logging.ts)
 * and by the CDK (POWERTOOLS_SERVICE_NAME), so a function's logs name it the same everywhere, locally too.
 */
export const SERVICE_NAMES = {
  ingest: 'order-ingest',
  planner: 'notification-planner',
  sender: 'notification-sender',
  feedback: 'email-feedback',
  unsubscribe: 'unsubscribe',
  statusApi: 'order-status-api',
  connectors: 'platform-connectors',
} as const;
export type ServiceName = keyof typeof SERVICE_NAMES;
