// A local OpenID provider for tests/e2e/test_oidc.py: the npm package oidc-provider (a certified
// OpenID Provider, pinned in tests/package.json) with its development login form.
//
// Environment: OIDC_PORT (listen on 127.0.0.1), OIDC_REDIRECT_URI (the app's /oauth2callback),
// OIDC_CLIENT_SECRET, OIDC_USERS (JSON {email: name}: the test users; any password is accepted by
// the development form, an unknown login is refused). Prints "ready" once listening.
//
// Two setup points Streamlit needs: the claims go in the ID token (conformIdTokenClaims: false;
// Streamlit reads claims from the ID token only), and the app asks for prompt=login
// (client_kwargs in [auth]), since this provider refuses Streamlit's default select_account.
import Provider from "oidc-provider";

const port = Number(process.env.OIDC_PORT);
const users = JSON.parse(process.env.OIDC_USERS || "{}");
const issuer = `http://127.0.0.1:${port}`;

const provider = new Provider(issuer, {
  clients: [
    {
      client_id: "dashboard",
      client_secret: process.env.OIDC_CLIENT_SECRET,
      redirect_uris: [process.env.OIDC_REDIRECT_URI],
      // Streamlit's st.logout ends the provider's session too, returning to its redirect_uri
      post_logout_redirect_uris: [process.env.OIDC_REDIRECT_URI],
      response_types: ["code"],
      grant_types: ["authorization_code"],
    },
  ],
  claims: { openid: ["sub"], email: ["email", "email_verified"], profile: ["name"] },
  conformIdTokenClaims: false,
  features: { devInteractions: { enabled: true } },
  cookies: { keys: ["e2e-only-not-a-secret"] },
  async findAccount(ctx, id) {
    const email = String(id).trim().toLowerCase();
    if (!(email in users)) return undefined;
    return {
      accountId: email,
      async claims() {
        return { sub: email, email, email_verified: true, name: users[email] };
      },
    };
  },
});
provider.proxy = false;
provider.listen(port, "127.0.0.1", () => console.log("ready"));
