/**
 * A secret a function reads at run time (functions/adapters/secrets-manager-secrets.ts): its environment
 * names the secret's ARN, never its value, and its role may read that one secret's value, nothing else
 * about it (no DescribeSecret, no versions list, no writes).
 */
import { PolicyStatement } from 'aws-cdk-lib/aws-iam';
import type { ISecret } from 'aws-cdk-lib/aws-secretsmanager';
import { type FUNCTION_SECRETS, secretArnVariable } from '../functions/adapters/secrets-manager-secrets.js';
import type { ServiceFunction } from './service-function.js';

/** The secrets the functions read, by the name their configuration knows them by. */
export type FunctionSecretName = keyof typeof FUNCTION_SECRETS;

/** `<NAME>_ARN`: the variable the function reads the secret's ARN from. */
export const secretEnvironment = <N extends FunctionSecretName>(
  name: N,
  secret: ISecret,
): Record<`${N}_ARN`, string> =>
  ({ [secretArnVariable(name)]: secret.secretArn }) as Record<`${N}_ARN`, string>;

/** Lets the function read the secret's value: GetSecretValue on it alone, and its key if it has one. */
export const grantSecretValue = (fn: ServiceFunction, secret: ISecret): void => {
  fn.role.addToPrincipalPolicy(
    new PolicyStatement({ actions: ['secretsmanager:GetSecretValue'], resources: [secret.secretArn] }),
  );
  secret.encryptionKey?.grantDecrypt(fn.grantPrincipal);
};
