/**
 * Benchmark of the build-file checks (shared/domain/build-files): an environment with 50 buildspec templates (in the
 * shape of SPA's preparation and purge templates, two of them named by the settings) and 200 shell scripts, next to
 * the same environment without them, in the same run. Prints:
 *   - checkBuildFiles alone on those files (its inputs from a settings check done beforehand);
 *   - validateEnvironment with and without the files, and the difference: the time the files add to a validation
 *     (the build-file checks overlap with the settings check, so the difference is less than checkBuildFiles alone);
 *   - the first run separately (it starts the parser's worker threads and compiles the WASM parser).
 * The same comparison is also made cold, each validation in a fresh process (as `spa-cd validate` runs): there the
 * parser's worker threads start and its WASM code is compiled and warmed within the measured time.
 * Target: the added time stays under 0.5 s. The settings are those of bench:validate (10,000 accounts, 200 units) by
 * default, so the figures fold into it.
 *
 *   node --import tsx bench/build-files.bench.ts [accounts=10000] [runs=5]
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync, chmodSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { FolderSettingsSource } from '../shared/adapters/folder-settings-source';
import { checkBuildFiles } from '../shared/domain/build-files';
import { closeShellSyntaxWorkers } from '../shared/domain/build-files/shell-syntax';
import { checkSettings } from '../shared/domain/settings/settings-loader';
import { validateEnvironment } from '../shared/use-cases/validate-settings';
import { generateSettings } from './settings-generator';

const BUDGET_FILES = ['budget.json', 'notifications.json', 'filter.yaml'];

/** A template in the shape of SPA's preparation template: env variables, heredocs, budgets, a script run. */
export function preparationTemplate(i: number): string {
  const lines = [
    `# preparation template ${i} (generated for bench:build-files)`,
    'version: 0.2',
    'env:',
    '  variables:',
    '    ALERT_THRESHOLD: 80',
    '    BUDGET_NAME: SpaBudget',
    'phases:',
    '  install:',
    '    commands:',
    '      - ACCOUNT=$(aws sts get-caller-identity --query Account --output text)',
    `      - echo "template ${i} - ACCOUNT=$ACCOUNT BUDGET_AMOUNT=$BUDGET_AMOUNT BUDGET_NAME=$BUDGET_NAME"`,
    `      - echo "template ${i} - ENVIRONMENT_IDENTIFIER=$ENVIRONMENT_IDENTIFIER EVENT_BUS_ARN=$EVENT_BUS_ARN TOPIC_ARN=$TOPIC_ARN"`,
    '  build:',
    '    commands:',
  ];
  for (let k = 0; k < 6; k += 1) {
    const file = BUDGET_FILES[k % BUDGET_FILES.length] ?? 'out.json';
    lines.push(
      '      - |',
      `        cat <<EOF >${file}`,
      '        {',
      `          "BudgetName": "\${BUDGET_NAME}-${i}-${k}",`,
      '          "BudgetLimit": { "Amount": "${BUDGET_AMOUNT}", "Unit": "USD" },',
      '          "Threshold": ${ALERT_THRESHOLD},',
      '          "Subscribers": [{ "Address": "${BUDGET_EMAIL}" }, { "Address": "${TOPIC_ARN}" }]',
      '        }',
      '        EOF',
      `      - CURRENT_${k}=$(aws budgets describe-budget --account-id "$ACCOUNT" --budget-name "$BUDGET_NAME-${i}-${k}" --query 'Budget.BudgetLimit.Amount' --output text) || true`,
      '      - |',
      `        if [ -z "$CURRENT_${k}" ]; then  # template ${i}`,
      `          aws budgets create-budget --account-id "$ACCOUNT" --budget file://${file}`,
      `        elif [ "$CURRENT_${k}" != "$BUDGET_AMOUNT" ]; then`,
      `          aws budgets update-budget --account-id "$ACCOUNT" --new-budget file://${file}`,
      '        fi',
    );
  }
  lines.push(`      - ./scripts/step-${i % 200}.sh "$ACCOUNT"`, '    finally:', `      - echo "template ${i} done with $ACCOUNT"`, '');
  return lines.join('\n');
}

/** A template in the shape of SPA's purge template: regions read in a loop, a tag filter, a report. */
export function purgeTemplate(): string {
  return [
    '# purge template (generated for bench:build-files)',
    'version: 0.2',
    'env:',
    '  variables:',
    '    PURGE_MODE: --dry-run',
    '    TAG_KEY: purge',
    'phases:',
    '  install:',
    '    commands:',
    '      - ACCOUNT=$(aws sts get-caller-identity --query Account --output text)',
    '      - echo "ENVIRONMENT_IDENTIFIER=$ENVIRONMENT_IDENTIFIER EVENT_BUS_ARN=$EVENT_BUS_ARN MAXIMUM_AGE=$MAXIMUM_AGE"',
    '  build:',
    '    commands:',
    "      - printf '%s\\n' eu-west-1 eu-west-3 us-east-1 >regions.txt",
    '      - |',
    '        while read -r REGION',
    '        do',
    '          echo "purging $ACCOUNT in $REGION: ${TAG_KEY}, older than ${MAXIMUM_AGE}"',
    '          ./bin/awsweeper ${PURGE_MODE} --region "${REGION}" filter.yaml | tee -a awsweeper.log',
    '        done < regions.txt',
    '',
  ].join('\n');
}

/** A script of a few dozen lines: functions, loops, conditionals, AWS CLI calls. */
export function script(i: number): string {
  const lines = ['#!/usr/bin/env bash', `# step ${i} of the preparation (generated for bench:build-files)`, 'set -euo pipefail', 'account=${1:?account id}', ''];
  for (let k = 0; k < 6; k += 1) {
    lines.push(
      `step_${k}() {`,
      '  local region',
      '  for region in eu-west-1 eu-west-3 us-east-1; do',
      `    if aws ec2 describe-vpcs --region "$region" --query 'Vpcs[?IsDefault].VpcId' --output text | grep -q vpc-; then`,
      `      echo "account $account: default VPC in $region (step ${k})"`,
      '    fi',
      '  done',
      '}',
      `step_${k}`,
    );
  }
  lines.push('');
  return lines.join('\n');
}

/** Writes `templates` templates under buildspec/ (two named by the settings) and `scripts` scripts under scripts/. */
export function writeBuildFiles(environment: string, templates = 50, scripts = 200): void {
  for (let i = 0; i < templates; i += 1) {
    const path = join(environment, i === 0 ? 'buildspec/preparation.yaml' : i === 1 ? 'buildspec/purge.yaml' : `buildspec/variants/template-${i}.yaml`);
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, i === 1 ? purgeTemplate() : preparationTemplate(i));
  }
  for (let i = 0; i < scripts; i += 1) {
    const path = join(environment, 'scripts', `step-${i}.sh`);
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, script(i));
    chmodSync(path, 0o755);
  }
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? NaN;
}

async function time<T>(task: () => Promise<T>): Promise<{ ms: number; result: T }> {
  const start = performance.now();
  const result = await task();
  return { ms: performance.now() - start, result };
}

async function main(): Promise<void> {
  const accounts = Number(process.argv[2] ?? 10_000);
  const runs = Number(process.argv[3] ?? 5);
  const work = mkdtempSync(join(tmpdir(), 'spa-cd-bench-build-files-'));
  try {
    const settings = generateSettings(accounts, Math.min(200, Math.max(1, Math.floor(accounts / 50)))).replace(
      'defaults:\n',
      'worker:\n  preparation_buildspec_template_file: buildspec/preparation.yaml\n  purge_buildspec_template_file: buildspec/purge.yaml\ndefaults:\n',
    );
    for (const name of ['with', 'without']) {
      const environment = join(work, 'environments', name);
      mkdirSync(environment, { recursive: true });
      writeFileSync(join(environment, 'settings.yaml'), settings);
      writeFileSync(join(environment, 'deployment.yaml'), `spa_version: '${'0'.repeat(40)}'\n`);
    }
    writeBuildFiles(join(work, 'environments', 'with'));
    const source = new FolderSettingsSource(work);

    const without = await time(() => validateEnvironment(source, 'without'));
    const first = await time(() => validateEnvironment(source, 'with'));
    const withTimes: number[] = [];
    const withoutTimes: number[] = [without.ms];
    for (let i = 0; i < runs; i += 1) {
      withoutTimes.push((await time(() => validateEnvironment(source, 'without'))).ms);
      withTimes.push((await time(() => validateEnvironment(source, 'with'))).ms);
    }
    const inputs = await checkSettings({ source, settingsFile: 'environments/with/settings.yaml', environmentFolder: 'environments/with' });
    const aloneTimes: number[] = [];
    let findings = 0;
    for (let i = 0; i < runs; i += 1) {
      const alone = await time(() => checkBuildFiles({ source, environmentFolder: 'environments/with', referencedFiles: inputs.referencedFiles, effective: inputs.effective, spaVersion: 'v1.2.3' }));
      aloneTimes.push(alone.ms);
      findings = alone.result.length;
    }

    // cold: one validation per fresh process, with and without the files in turn
    const coldWith: number[] = [];
    const coldWithout: number[] = [];
    for (let i = 0; i < runs; i += 1) {
      coldWithout.push(child(work, 'without'));
      coldWith.push(child(work, 'with'));
    }

    const ms = (n: number): string => `${n.toFixed(0)} ms`;
    const added = median(withTimes) - median(withoutTimes);
    const addedCold = median(coldWith) - median(coldWithout);
    console.log(
      `bench:build-files — 50 buildspec templates (~${(preparationTemplate(2).length / 1024).toFixed(1)} KB each, 2 named by the settings) + 200 scripts (~${(script(0).length / 1024).toFixed(1)} KB each); settings of ${accounts} accounts; medians of ${runs} runs`,
    );
    console.log(`checkBuildFiles alone (warm):                       ${ms(median(aloneTimes))} (${findings} findings)`);
    console.log(`validateEnvironment, warm, without / with the files: ${ms(median(withoutTimes))} / ${ms(median(withTimes))} (first run with them, starting the parser: ${ms(first.ms)})`);
    console.log(`validateEnvironment, cold process, without / with:   ${ms(median(coldWithout))} / ${ms(median(coldWith))}`);
    console.log(`diagnostics without / with the files: ${without.result.diagnostics.length} / ${first.result.diagnostics.length}`);
    console.log(`added by the build files: ${ms(added)} warm, ${ms(addedCold)} cold — target < 500 ms: ${added < 500 && addedCold < 500 ? 'met' : 'NOT met'}`);
  } finally {
    await closeShellSyntaxWorkers();
    rmSync(work, { recursive: true, force: true });
  }
}

/** One cold validation in a fresh process; its time in ms. */
function child(root: string, environment: string): number {
  const run = spawnSync(process.execPath, ['--import', 'tsx', fileURLToPath(import.meta.url), '--child', root, environment], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  const ms = Number(run.stdout.trim().split('\n').pop());
  if (run.status !== 0 || Number.isNaN(ms)) throw new Error(`child validation failed (${String(run.status ?? run.signal ?? run.error)}): ${run.stdout.slice(-300)} ${run.stderr.slice(-1000)}`);
  return ms;
}

async function childMain(root: string, environment: string): Promise<void> {
  const start = performance.now();
  await validateEnvironment(new FolderSettingsSource(root), environment);
  const ms = performance.now() - start;
  await closeShellSyntaxWorkers();
  console.log(ms.toFixed(1));
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  if (process.argv[2] === '--child') await childMain(process.argv[3] ?? '', process.argv[4] ?? '');
  else await main();
}
