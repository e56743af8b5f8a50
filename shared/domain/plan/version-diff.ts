import type { ResolvedVersion } from '../../ports/version-resolver';
import type { EnvironmentSnapshot } from './plan';

export type ManifestFlag = 'auto_deploy' | 'frozen' | 'allow_floating_version';

export interface FlagChange {
  readonly flag: ManifestFlag;
  readonly before: boolean;
  readonly after: boolean;
}

export interface VersionSide {
  /** The pin as written. */
  readonly pin?: string;
  readonly resolved?: ResolvedVersion;
  /** The immutable commit: the resolved one, or the pin itself when it is a full commit. */
  readonly commit?: string;
}

export interface VersionDiff {
  /** Absent: a new environment. */
  readonly before?: VersionSide;
  /** Absent: a removed environment. */
  readonly after?: VersionSide;
  readonly pinChanged: boolean;
  /** Both sides resolved to commits and they differ (a new pin, or the same tag or branch now pointing elsewhere). */
  readonly commitChanged: boolean;
  /** Manifest flags that differ, when both sides exist (in the order auto_deploy, frozen, allow_floating_version). */
  readonly flags: readonly FlagChange[];
}

const FULL_COMMIT = /^[0-9a-f]{40}$/i;

/** The immutable commit of a pin: the resolved commit, else the pin itself when it is a full 40-hex commit. */
export function resolvedCommit(pin: string | undefined, resolved: ResolvedVersion | undefined): string | undefined {
  if (resolved && (resolved.kind === 'tag' || resolved.kind === 'branch' || resolved.kind === 'commit')) return resolved.commit;
  if (pin !== undefined && FULL_COMMIT.test(pin)) return pin.toLowerCase();
  return undefined;
}

/** The SPA version change of an environment (old → new, with resolved commits) and its manifest flag changes. */
export function diffVersion(base?: EnvironmentSnapshot, head?: EnvironmentSnapshot): VersionDiff {
  const before = base ? side(base) : undefined;
  const after = head ? side(head) : undefined;
  const flags: FlagChange[] = [];
  if (base && head) {
    const pairs: [ManifestFlag, boolean, boolean][] = [
      ['auto_deploy', base.autoDeploy, head.autoDeploy],
      ['frozen', base.frozen, head.frozen],
      ['allow_floating_version', base.allowFloatingVersion, head.allowFloatingVersion],
    ];
    for (const [flag, b, a] of pairs) if (b !== a) flags.push({ flag, before: b, after: a });
  }
  const pinChanged = before?.pin !== after?.pin;
  const commitChanged = before?.commit !== undefined && after?.commit !== undefined && before.commit !== after.commit;
  return { ...(before ? { before } : {}), ...(after ? { after } : {}), pinChanged, commitChanged, flags };
}

function side(snapshot: EnvironmentSnapshot): VersionSide {
  const commit = resolvedCommit(snapshot.spaVersion, snapshot.spaResolved);
  return {
    ...(snapshot.spaVersion !== undefined ? { pin: snapshot.spaVersion } : {}),
    ...(snapshot.spaResolved ? { resolved: snapshot.spaResolved } : {}),
    ...(commit !== undefined ? { commit } : {}),
  };
}
