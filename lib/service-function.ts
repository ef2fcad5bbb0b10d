import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Duration, RemovalPolicy, Validations } from 'aws-cdk-lib';
import { type IGrantable, type IPrincipal, Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import {
  ApplicationLogLevel,
  Architecture,
  LoggingFormat,
  SystemLogLevel,
  Tracing,
} from 'aws-cdk-lib/aws-lambda';
import { type BundlingOptions, NodejsFunction, OutputFormat } from 'aws-cdk-lib/aws-lambda-nodejs';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { FUNCTION_TIMEOUT_VARIABLE } from '../functions/commons/function-timeouts.js';
import { ESBUILD_NODE_TARGET, LAMBDA_RUNTIME, NODE_MAJOR } from './node-runtime.js';
import { SERVICE_FUNCTION_VARIABLES } from './wiring.js';

/** The repository root: handler entries and the lock file are resolved from here, not from the cwd. */
export const REPO_ROOT = fileURLToPath(new URL('..', import.meta.url));

/**
 * How every function is bundled (esbuild, run by `NodejsFunction`). Exported so that
 * `scripts/bundle-sizes.ts` measures exactly what is deployed.
 */
export const SERVICE_FUNCTION_BUNDLING: Readonly<BundlingOptions> = {
  format: OutputFormat.ESM,
  target: ESBUILD_NODE_TARGET,
  mainFields: ['module', 'main'],
  // Bundled dependencies written for CommonJS still call require(); ESM has none of its own.
  banner:
    "import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);",
  minify: true,
  sourceMap: true,
  // Stack traces need only the mappings; embedding the sources would just enlarge the asset.
  sourcesContent: false,
  // Bundle the AWS SDK v3 too: the versions the tests ran against, not whatever the runtime ships,
  // and one minified file usually loads faster than the runtime's copy.
  externalModules: [],
  // On Lambda the credentials are in the environment: the SDK's default chain is swapped for the
  // environment provider alone (see functions/commons/lambda-credentials.ts).
  esbuildArgs: {
    '--alias:@aws-sdk/credential-provider-node': './functions/commons/lambda-credentials.ts',
  },
  // esbuild from node_modules; no Docker. (`platform` is not set: in these options it is the Docker
  // build platform, while esbuild's --platform is always node for NodejsFunction.)
  forceDockerBundling: false,
};

export type ServiceLogLevel = 'DEBUG' | 'INFO' | 'WARN' | 'ERROR';

/** Set by ServiceFunction for every function (lib/wiring.ts); a function's own `environment` may not override them. */
const SHARED_VARIABLES = SERVICE_FUNCTION_VARIABLES;

export interface ServiceFunctionProps {
  /** The handler module, relative to the repository root, e.g. `functions/ingest-order-events/index.ts`. */
  readonly entry: string;
  /**
   * The exported handler.
   * @default 'handler'
   */
  readonly handler?: string;
  /** The Powertools service name (POWERTOOLS_SERVICE_NAME): the `service` key of every log line. */
  readonly serviceName: string;
  /** What the function does, shown in the console. @default - no description */
  readonly description?: string;
  /**
   * The function timeout; the function's SDK clients derive their own timeouts from it
   * (functions/commons/function-timeouts.ts), so a dependency that stops answering fails the call first.
   * @default Duration.seconds(30)
   */
  readonly timeout?: Duration;
  /**
   * Memory in MB; CPU scales with it.
   * @default 256
   */
  readonly memorySize?: number;
  /**
   * How long the function's logs are kept.
   * @default RetentionDays.ONE_MONTH
   */
  readonly logRetention?: RetentionDays;
  /**
   * The lowest level logged (POWERTOOLS_LOG_LEVEL and Lambda's application log level).
   * @default 'INFO'
   */
  readonly logLevel?: ServiceLogLevel;
  /**
   * Concurrency reserved for (and capping) this function.
   * @default - none: the function draws on the account's unreserved concurrency
   */
  readonly reservedConcurrentExecutions?: number;
  /**
   * The function's own configuration, added to the shared variables.
   * @default - only the shared variables
   */
  readonly environment?: Readonly<Record<string, string>>;
}

/**
 * A Node.js Lambda function with the service's defaults: Lambda's Node (lib/node-runtime.ts) on ARM64, the handler and the AWS SDK
 * bundled into one minified ESM file with source maps, JSON logs to a log group with a retention, no
 * tracing (nothing is instrumented), and a role that starts with nothing but writing its own logs.
 *
 * Grant it access like any function (`queue.grantSendMessages(serviceFunction)`); the underlying
 * `NodejsFunction` is `function` for event sources and metrics.
 */
export class ServiceFunction extends Construct implements IGrantable {
  readonly function: NodejsFunction;
  readonly role: Role;
  readonly logGroup: LogGroup;
  readonly grantPrincipal: IPrincipal;

  constructor(scope: Construct, id: string, props: ServiceFunctionProps) {
    super(scope, id);

    const memorySize = props.memorySize ?? 256;
    const timeout = props.timeout ?? Duration.seconds(30);
    if (!Number.isInteger(memorySize) || memorySize < 128 || memorySize > 10_240) {
      throw new Error(
        `${this.node.path}: memorySize must be an integer from 128 to 10240, got ${memorySize}`,
      );
    }
    for (const name of SHARED_VARIABLES) {
      if (props.environment && name in props.environment) {
        throw new Error(`${this.node.path}: environment.${name} is set by ServiceFunction; use its props`);
      }
    }
    const logLevel = props.logLevel ?? 'INFO';

    this.logGroup = new LogGroup(this, 'LogGroup', {
      retention: props.logRetention ?? RetentionDays.ONE_MONTH,
      // Logs are operational, not records: they go with the stack rather than linger unowned.
      removalPolicy: RemovalPolicy.DESTROY,
    });

    // An explicit role instead of the default one, which carries the AWSLambdaBasicExecutionRole managed
    // policy: CreateLogGroup, CreateLogStream and PutLogEvents on every log group in the account.
    this.role = new Role(this, 'Role', {
      assumedBy: new ServicePrincipal('lambda.amazonaws.com'),
      description: `Runs ${this.node.path}`,
    });
    this.grantPrincipal = this.role;
    this.logGroup.grantWrite(this.role);

    this.function = new NodejsFunction(this, 'Function', {
      entry: join(REPO_ROOT, props.entry),
      handler: props.handler ?? 'handler',
      projectRoot: REPO_ROOT,
      depsLockFilePath: join(REPO_ROOT, 'package-lock.json'),
      description: props.description,
      runtime: LAMBDA_RUNTIME,
      architecture: Architecture.ARM_64,
      memorySize,
      timeout,
      reservedConcurrentExecutions: props.reservedConcurrentExecutions,
      role: this.role,
      logGroup: this.logGroup,
      loggingFormat: LoggingFormat.JSON,
      applicationLogLevelV2: ApplicationLogLevel[logLevel],
      systemLogLevelV2: SystemLogLevel.INFO,
      // Off: nothing in the code is instrumented (no Powertools Tracer), so active tracing recorded only
      // Lambda's own segment per invocation: X-Ray cost and an xray:* on "*" grant for nothing the logs,
      // the EMF metrics and the alarms do not already show. The tracer would add ~100 KB per bundle.
      tracing: Tracing.DISABLED,
      environment: {
        ...props.environment,
        NODE_OPTIONS: '--enable-source-maps',
        POWERTOOLS_SERVICE_NAME: props.serviceName,
        POWERTOOLS_LOG_LEVEL: logLevel,
        POWERTOOLS_METRICS_DISABLED: 'false',
        [FUNCTION_TIMEOUT_VARIABLE]: String(timeout.toSeconds()),
      },
      bundling: { ...SERVICE_FUNCTION_BUNDLING },
    });

    Validations.of(this.function).acknowledge({
      id: 'AwsSolutions-L1',
      reason:
        `Pinned to nodejs${NODE_MAJOR}.x on purpose: package.json pins the Node.js that npm start, the tests ` +
        'and CI run on, and the runtime and bundle target follow it. Moving to a newer runtime is a ' +
        'deliberate upgrade of that one pin, not a drift.',
    });
  }
}
