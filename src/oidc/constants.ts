/**
 * What the API and the development identity provider (dev-provider.ts) agree on, in a module of its own so
 * that verifying a token does not load the provider.
 */
export const DEV_OIDC_KID = 'dev-oidc';
export const DEV_OIDC_CLIENT_ID = 'wh327-apps';
/** The audience (resource indicator) of the API's access tokens from the development provider. */
export const DEV_OIDC_AUDIENCE = 'urn:wh327:api';
