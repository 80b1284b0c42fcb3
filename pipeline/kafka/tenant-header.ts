/** The Kafka record header carrying the tenant (X-Scope-OrgID) of the request the record came from, when it had one. */
export const TENANT_HEADER = 'X-Scope-OrgID';
