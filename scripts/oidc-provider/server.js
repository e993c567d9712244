// An OpenID provider for Bridge's single sign-on tests: oidc-provider (OpenID Certified), with its
// development sign-in pages, open dynamic client registration (each test registers a client with
// its own redirect address) and accounts made up on the spot: whatever one signs in as is the
// account's email; a login starting with "unverified" has an email that is not verified.
// Usage: PORT=4000 node server.js   (the issuer is http://127.0.0.1:$PORT)
import Provider from "oidc-provider";

const port = Number(process.env.PORT || 4000);
const issuer = `http://127.0.0.1:${port}`;

function nameOf(login) {
  const local = login.split("@")[0];
  return local.split(/[._-]/).filter(Boolean).map((w) => w[0].toUpperCase() + w.slice(1)).join(" ");
}

const provider = new Provider(issuer, {
  features: {
    devInteractions: { enabled: true },
    registration: { enabled: true },
    rpInitiatedLogout: { enabled: true },
  },
  claims: { openid: ["sub"], email: ["email", "email_verified"], profile: ["name"] },
  async findAccount(_ctx, id) {
    return {
      accountId: id,
      async claims() {
        return { sub: id, email: id, email_verified: !id.startsWith("unverified"), name: nameOf(id) };
      },
    };
  },
  cookies: { keys: ["bridge-tests-only"] },
  ttl: { Session: 3600, Interaction: 600, Grant: 3600, AccessToken: 600, IdToken: 600, AuthorizationCode: 60 },
});

provider.listen(port, "127.0.0.1", () => console.log(`oidc-provider listening at ${issuer}`));
