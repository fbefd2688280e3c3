/** An API key as Laurel keeps it: never the key itself, only its SHA-256. */

/** admin keys manage a community; application keys only send and read its data. */
export type KeyKind = 'admin' | 'application';

export interface ApiKey {
  id: string;
  orgId: string;
  communityId: string;
  kind: KeyKind;
  name: string;
  /** The first characters of the key, to recognise it by. */
  prefix: string;
  /** The key's SHA-256, in hex. */
  hash: string;
  createdAt: number;
  revokedAt: number | null;
}
