/** The organisation and community every read and write is scoped to. */
export interface Tenant {
  orgId: string;
  communityId: string;
}
