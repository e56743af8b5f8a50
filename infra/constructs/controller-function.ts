/**
 * A controller Lambda with every house default set once: Node.js 22 on ARM, the esbuild bundle of
 * `dist/<name>/index.mjs`, source maps, its own log group with retention, its own role (named, so the
 * DevOps account can trust it), and one encrypted dead-letter queue that receives both EventBridge
 * delivery failures and failed asynchronous invocations. `eventTarget()` gives the EventBridge target with
 * the DLQ and an explicit retry policy, so no rule can be wired without them.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { SqsDestination } from 'aws-cdk-lib/aws-lambda-destinations';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import { Construct } from 'constructs';
import { METRICS_NAMESPACE } from '../metrics';

export interface ControllerFunctionProps {
  /** `on-trunk-push`: the folder under functions/ and dist/. */
  readonly name: string;
  readonly functionName: string;
  readonly roleName: string;
  /** Folder holding `<name>/index.mjs` (the esbuild output, `dist/` by default). */
  readonly codeDirectory: string;
  readonly environment: Readonly<Record<string, string>>;
  readonly timeout: Duration;
  readonly memorySize?: number;
  readonly description: string;
}

export interface EventTargetOptions {
  /** EventBridge delivery retries before the event goes to the DLQ (0-185). */
  readonly retryAttempts: number;
  /** Age after which EventBridge stops retrying (60 s - 24 h). */
  readonly maxEventAge: Duration;
}

export class MissingBundleError extends Error {
  override readonly name = 'MissingBundleError';
}

export class ControllerFunction extends Construct {
  readonly function: lambda.Function;
  readonly role: iam.Role;
  readonly logGroup: logs.LogGroup;
  readonly deadLetterQueue: sqs.Queue;

  constructor(scope: Construct, id: string, props: ControllerFunctionProps) {
    super(scope, id);
    const bundle = join(props.codeDirectory, props.name);
    if (!existsSync(join(bundle, 'index.mjs'))) {
      throw new MissingBundleError(`${join(bundle, 'index.mjs')} does not exist: run "npm run build" before synthesizing (esbuild.config.mjs bundles functions/${props.name}/handler.ts there)`);
    }

    this.role = new iam.Role(this, 'Role', {
      roleName: props.roleName,
      description: `spa-cd ${props.name} Lambda function`,
      assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
      maxSessionDuration: Duration.hours(1),
    });
    this.logGroup = new logs.LogGroup(this, 'Logs', {
      logGroupName: `/aws/lambda/${props.functionName}`,
      retention: logs.RetentionDays.THREE_MONTHS,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    this.logGroup.grantWrite(this.role);
    this.deadLetterQueue = new sqs.Queue(this, 'DeadLetterQueue', {
      queueName: `${props.functionName}-dlq`,
      encryption: sqs.QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      retentionPeriod: Duration.days(14),
    });

    this.function = new lambda.Function(this, 'Function', {
      functionName: props.functionName,
      description: props.description,
      runtime: lambda.Runtime.NODEJS_22_X,
      architecture: lambda.Architecture.ARM_64,
      handler: 'index.handler',
      code: lambda.Code.fromAsset(bundle),
      role: this.role,
      logGroup: this.logGroup,
      timeout: props.timeout,
      memorySize: props.memorySize ?? 512,
      environment: {
        ...props.environment,
        NODE_OPTIONS: '--enable-source-maps',
        POWERTOOLS_SERVICE_NAME: props.name,
        POWERTOOLS_METRICS_NAMESPACE: METRICS_NAMESPACE,
      },
      // Asynchronous invocations (every EventBridge delivery): two retries, then the DLQ.
      retryAttempts: 2,
      maxEventAge: Duration.hours(1),
      onFailure: new SqsDestination(this.deadLetterQueue),
    });
  }

  /** The EventBridge target for this function, with its DLQ and an explicit retry policy. */
  eventTarget(options: EventTargetOptions): targets.LambdaFunction {
    return new targets.LambdaFunction(this.function, {
      deadLetterQueue: this.deadLetterQueue,
      retryAttempts: options.retryAttempts,
      maxEventAge: options.maxEventAge,
    });
  }
}
