/**
 * Port: resolve a SPA version pin to an immutable commit by asking the code repository (no clone).
 */
export type ResolvedVersion =
  /** A tag; `commit` is the peeled commit for an annotated tag. */
  | { readonly kind: 'tag'; readonly name: string; readonly commit: string; readonly annotated: boolean }
  | { readonly kind: 'branch'; readonly name: string; readonly commit: string }
  /** A 40-hex commit pin: immutable already; `advertised` tells whether a ref of the server points at it. */
  | { readonly kind: 'commit'; readonly commit: string; readonly advertised: boolean }
  /** The server answered and has no such tag or branch. */
  | { readonly kind: 'unknown'; readonly name: string }
  /** The server could not be asked (network, HTTP error, malformed answer): not an error, the plan says "unresolved". */
  | { readonly kind: 'unresolved'; readonly name: string; readonly reason: string };

export interface VersionResolver {
  resolve(codeGitUrl: string, pin: string): Promise<ResolvedVersion>;
}
