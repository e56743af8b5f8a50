/**
 * Synthesizes an installation once, offline, with stand-in bundles, and reads its templates and IAM documents.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Template } from 'aws-cdk-lib/assertions';
import { loadInstallationConfig, type InstallationConfig } from '../../../infra/config/installation-config';
import { buildSpaCdApp, type SpaCdApp } from '../../../infra/spa-cd-app';

import { configFile, FIXTURE_BUNDLES } from './paths';

export { configFile, FIXTURE_BUNDLES, REPO_ROOT } from './paths';

export interface Synthesized extends SpaCdApp {
  readonly config: InstallationConfig;
  readonly templates: { readonly cloudOps: Template; readonly devOps: Template; readonly automation: Template };
  readonly all: readonly Template[];
  /** Every IAM statement of the three stacks, located (`cloudops/...`, `devops/...`, `automation/...`). */
  readonly statements: LocatedStatement[];
  readonly outdir: string;
  dispose(): void;
}

export function synthesize(configName: string): Synthesized {
  const config = loadInstallationConfig(configFile(configName));
  const outdir = mkdtempSync(join(tmpdir(), 'spa-cd-synth-'));
  const built = buildSpaCdApp({ config, functionsCodeDirectory: FIXTURE_BUNDLES, outdir });
  const templates = {
    cloudOps: Template.fromStack(built.cloudOps),
    devOps: Template.fromStack(built.devOps),
    automation: Template.fromStack(built.automation),
  };
  return {
    ...built,
    config,
    templates,
    all: [templates.cloudOps, templates.devOps, templates.automation],
    statements: [...iamStatements(templates.cloudOps, 'cloudops'), ...iamStatements(templates.devOps, 'devops'), ...iamStatements(templates.automation, 'automation')],
    outdir,
    dispose: () => rmSync(outdir, { recursive: true, force: true }),
  };
}

export interface CfnResource {
  readonly Type: string;
  readonly Properties?: Record<string, unknown>;
  readonly DeletionPolicy?: string;
  readonly UpdateReplacePolicy?: string;
}

export function resourcesOf(template: Template, type: string): [string, CfnResource][] {
  return Object.entries(template.findResources(type) as Record<string, CfnResource>);
}

/** One readable string for a CloudFormation value: intrinsics become `<Ref>` / `<Logical.Attr>` placeholders. */
export function render(value: unknown): string {
  if (typeof value === 'string') return value;
  if (typeof value !== 'object' || value === null) return String(value);
  const record = value as Record<string, unknown>;
  if ('Ref' in record) return `<${String(record.Ref)}>`;
  if ('Fn::GetAtt' in record && Array.isArray(record['Fn::GetAtt'])) return `<${(record['Fn::GetAtt'] as unknown[]).map(String).join('.')}>`;
  if ('Fn::Join' in record && Array.isArray(record['Fn::Join'])) {
    const [separator, parts] = record['Fn::Join'] as [string, unknown[]];
    return parts.map(render).join(separator);
  }
  return JSON.stringify(value);
}

export const asList = (value: unknown): unknown[] => (value === undefined ? [] : Array.isArray(value) ? value : [value]);

export interface Statement {
  readonly Effect: 'Allow' | 'Deny';
  readonly Action?: unknown;
  readonly Resource?: unknown;
  readonly Principal?: unknown;
  readonly Condition?: Record<string, Record<string, unknown>>;
  readonly Sid?: string;
}

export interface LocatedStatement {
  /** `<stack>/<logical id>` */
  readonly where: string;
  readonly kind: 'identity' | 'resource' | 'trust';
  readonly statement: Statement;
}

const statementsOf = (document: unknown): Statement[] =>
  asList((document as { Statement?: unknown } | undefined)?.Statement) as Statement[];

/** Every statement of every IAM document in a template: identity policies, resource policies, trust policies. */
export function iamStatements(template: Template, stackName: string): LocatedStatement[] {
  const located: LocatedStatement[] = [];
  const resources = template.toJSON().Resources as Record<string, CfnResource>;
  for (const [id, resource] of Object.entries(resources)) {
    const where = `${stackName}/${id}`;
    const properties = resource.Properties ?? {};
    const add = (kind: LocatedStatement['kind'], document: unknown): void => {
      for (const statement of statementsOf(document)) located.push({ where, kind, statement });
    };
    switch (resource.Type) {
      case 'AWS::IAM::Policy':
      case 'AWS::IAM::ManagedPolicy':
        add('identity', properties.PolicyDocument);
        break;
      case 'AWS::IAM::Role':
        add('trust', properties.AssumeRolePolicyDocument);
        for (const policy of asList(properties.Policies)) add('identity', (policy as { PolicyDocument?: unknown }).PolicyDocument);
        break;
      case 'AWS::SQS::QueuePolicy':
      case 'AWS::SNS::TopicPolicy':
        add('resource', properties.PolicyDocument);
        break;
      case 'AWS::Events::EventBusPolicy':
        add('resource', { Statement: properties.Statement });
        break;
      default:
        break;
    }
  }
  return located;
}
