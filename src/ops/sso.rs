//! Single sign-on with an OpenID provider: the authorization code flow with PKCE, state and nonce
//! (`openidconnect` checks the ID token's signature, issuer, audience, expiry and nonce), the
//! person matched by verified email or given an account when an administrator allows it, and the
//! provider's sign-out. The rules are `domain::sso`'s; what is kept between the steps, `store::sso`.

use std::sync::{Arc, RwLock};
use std::time::{Duration, Instant};

use anyhow::{anyhow, bail};
use bridge_domain::audit::Actor;
use bridge_domain::org::{Role, Side, ValidPerson};
use bridge_domain::sso::{email_to_match, name_for, no_account, Identity, NewAccounts, PasswordSignIn};
use bridge_domain::Error;
use openidconnect::core::{
    CoreAuthenticationFlow, CoreClient, CoreIdToken, CoreIdTokenClaims, CoreIdTokenVerifier, CoreUserInfoClaims,
};
use openidconnect::{
    AuthorizationCode, ClientId, ClientSecret, CsrfToken, EndSessionUrl, EndpointMaybeSet, EndpointNotSet, EndpointSet,
    IssuerUrl, LogoutRequest, Nonce, OAuth2TokenResponse, PkceCodeChallenge, PkceCodeVerifier, PostLogoutRedirectUrl,
    ProviderMetadataWithLogout, RedirectUrl, Scope, TokenResponse,
};

use super::Caller;
use crate::secrets;
use crate::store::sso::{SignInSettings, SSO_LOGIN_TTL_MS};
use crate::store::{now_ms, Db};

/// The provider's settings, as `serve` reads them.
#[derive(Debug, Clone, Default)]
pub struct SsoConfig {
    /// The issuer URL; its discovery document is at `<issuer>/.well-known/openid-configuration`.
    pub issuer: String,
    pub client_id: String,
    pub client_secret: String,
    /// The button says "Sign in with <name>".
    pub name: String,
    /// Count an email the provider says nothing about as verified (providers such as Entra ID
    /// never send `email_verified`); an email it marks unverified is refused either way.
    pub trust_email: bool,
}

type Client =
    CoreClient<EndpointSet, EndpointNotSet, EndpointNotSet, EndpointNotSet, EndpointMaybeSet, EndpointMaybeSet>;

/// How often the provider's signing keys are read again (providers rotate them).
const KEYS_REFRESH: Duration = Duration::from_secs(3600);

/// The provider as Bridge talks to it: set up once at start, its keys refreshed hourly.
pub struct Sso {
    pub name: String,
    config: SsoConfig,
    issuer: IssuerUrl,
    redirect: RedirectUrl,
    post_logout: PostLogoutRedirectUrl,
    http: reqwest::Client,
    provider: RwLock<Provider>,
}

struct Provider {
    client: Arc<Client>,
    end_session: Option<EndSessionUrl>,
    read_at: Instant,
}

/// Where the browser goes to sign in, and the state it must bring back (kept in a cookie).
pub struct Started {
    pub url: String,
    pub state: String,
}

/// What the provider's callback brings back.
#[derive(Debug, Default, serde::Deserialize)]
#[serde(default)]
pub struct Callback {
    pub code: String,
    pub state: String,
    pub iss: Option<String>,
    pub error: String,
    pub error_description: String,
}

/// A person the provider vouched for, signed in to their account.
pub struct SignedIn {
    pub account_id: i64,
    pub id_token: String,
    pub next: String,
}

impl Sso {
    /// Checks the settings and reads the provider's discovery document; an error names the
    /// setting to fix, so `serve` stops at start rather than at the first sign-in.
    pub async fn discover(config: SsoConfig, base_url: &str) -> anyhow::Result<Sso> {
        let issuer = IssuerUrl::new(config.issuer.trim().trim_end_matches('/').to_string())
            .map_err(|e| anyhow!("BRIDGE_OIDC_ISSUER {:?} is not a web address: {e}", config.issuer))?;
        if config.client_id.trim().is_empty() {
            bail!("BRIDGE_OIDC_CLIENT_ID is empty: set it to the client id the provider gave Bridge");
        }
        if config.client_secret.trim().is_empty() {
            bail!("BRIDGE_OIDC_CLIENT_SECRET is empty: set it to the client secret the provider gave Bridge");
        }
        let base = base_url.trim_end_matches('/');
        let redirect = RedirectUrl::new(format!("{base}/login/sso/callback"))
            .map_err(|e| anyhow!("BRIDGE_BASE_URL {base_url:?} is not a web address: {e}"))?;
        let post_logout = PostLogoutRedirectUrl::new(format!("{base}/login"))
            .map_err(|e| anyhow!("BRIDGE_BASE_URL {base_url:?} is not a web address: {e}"))?;
        let http = reqwest::Client::builder()
            // Following redirects would let a provider's answer send Bridge elsewhere.
            .redirect(reqwest::redirect::Policy::none())
            .timeout(Duration::from_secs(10))
            .build()?;
        let provider = read_provider(&config, &issuer, &redirect, &http).await?;
        let name = if config.name.trim().is_empty() { "single sign-on".into() } else { config.name.trim().into() };
        Ok(Sso { name, config, issuer, redirect, post_logout, http, provider: RwLock::new(provider) })
    }

    /// The address to register at the provider as the redirect URI.
    pub fn callback_url(&self) -> &str {
        self.redirect.as_str()
    }

    pub fn issuer(&self) -> &str {
        self.issuer.as_str()
    }

    async fn client(&self) -> Arc<Client> {
        let stale = {
            let p = self.provider.read().unwrap_or_else(|e| e.into_inner());
            if p.read_at.elapsed() < KEYS_REFRESH {
                return p.client.clone();
            }
            p.client.clone()
        };
        match read_provider(&self.config, &self.issuer, &self.redirect, &self.http).await {
            Ok(fresh) => {
                let client = fresh.client.clone();
                *self.provider.write().unwrap_or_else(|e| e.into_inner()) = fresh;
                client
            }
            Err(e) => {
                tracing::warn!(error = %e, "could not read the OpenID provider's settings again; using the ones read before");
                stale
            }
        }
    }

    /// Starts a sign-in: state, nonce and PKCE verifier are made here and kept (the state's hash
    /// in the database, the state itself in the browser's cookie).
    pub async fn start(&self, db: &Db, next: &str) -> Result<Started, Error> {
        let client = self.client().await;
        let (challenge, verifier) = PkceCodeChallenge::new_random_sha256();
        let (url, state, nonce) = client
            .authorize_url(CoreAuthenticationFlow::AuthorizationCode, CsrfToken::new_random, Nonce::new_random)
            .add_scope(Scope::new("email".into()))
            .add_scope(Scope::new("profile".into()))
            .set_pkce_challenge(challenge)
            .url();
        db.begin_sso_login(&secrets::secret_hash(state.secret()), nonce.secret(), verifier.secret(), next).await?;
        Ok(Started { url: url.to_string(), state: state.secret().clone() })
    }

    /// Finishes a sign-in from the provider's callback; `browser_state` is the state the cookie
    /// kept. Every refusal is logged with its detail and answered in plain words.
    pub async fn finish(&self, db: &Db, browser_state: Option<&str>, cb: &Callback) -> Result<SignedIn, Error> {
        if !cb.error.is_empty() {
            let said = if cb.error_description.is_empty() { &cb.error } else { &cb.error_description };
            return Err(refused(format!("The sign-in service did not sign you in: {said}"), &cb.error));
        }
        let same_browser = browser_state.is_some_and(|s| !cb.state.is_empty() && secrets::same(s, &cb.state));
        if !same_browser {
            return Err(refused(
                "This sign-in did not start in this browser, so Bridge refused it. Start again from the sign-in page."
                    .into(),
                "state missing or different from the browser's",
            ));
        }
        let Some(pending) = db.take_sso_login(&secrets::secret_hash(&cb.state)).await? else {
            return Err(refused(
                "This sign-in was already used or is unknown. Start again from the sign-in page.".into(),
                "no sign-in under way with this state (replayed callback?)",
            ));
        };
        if now_ms() - pending.created_at > SSO_LOGIN_TTL_MS {
            return Err(refused("This sign-in took too long. Start again from the sign-in page.".into(), "expired"));
        }
        if cb.iss.as_deref().is_some_and(|iss| iss.trim_end_matches('/') != self.issuer.as_str()) {
            return Err(refused(untrusted(), "the callback's iss is another issuer"));
        }
        let client = self.client().await;
        let exchange = client.exchange_code(AuthorizationCode::new(cb.code.clone())).map_err(Error::internal)?;
        let token = exchange
            .set_pkce_verifier(PkceCodeVerifier::new(pending.pkce_verifier))
            .request_async(&self.http)
            .await
            .map_err(|e| refused(untrusted(), &format!("token exchange: {}", error_chain(&e))))?;
        let id_token = token.id_token().ok_or_else(|| refused(untrusted(), "no ID token in the token response"))?;
        let identity = self.identity(&client, id_token, &Nonce::new(pending.nonce), token.access_token()).await?;
        let account_id = account_for(db, &identity).await?;
        Ok(SignedIn { account_id, id_token: id_token.to_string(), next: pending.next })
    }

    /// Who the ID token says this is (checked: signature, issuer, audience, expiry, nonce), with
    /// the email from the user-info endpoint when the token leaves it out.
    async fn identity(
        &self,
        client: &Client,
        id_token: &CoreIdToken,
        nonce: &Nonce,
        access_token: &openidconnect::AccessToken,
    ) -> Result<Identity, Error> {
        let claims = checked_claims(&client.id_token_verifier(), id_token, nonce)?;
        let subject = claims.subject().clone();
        let mut identity = Identity {
            subject: format!("{} {}", self.issuer.as_str(), subject.as_str()),
            email: claims.email().map(|e| e.as_str().to_string()),
            email_verified: claims.email_verified().unwrap_or(self.config.trust_email),
            name: claims.name().and_then(|n| n.get(None)).map(|n| n.as_str().to_string()),
        };
        if identity.email.is_none() {
            if let Ok(request) = client.user_info(access_token.clone(), Some(subject)) {
                let info: CoreUserInfoClaims = request
                    .request_async(&self.http)
                    .await
                    .map_err(|e| refused(untrusted(), &format!("user info: {}", error_chain(&e))))?;
                identity.email = info.email().map(|e| e.as_str().to_string());
                identity.email_verified = info.email_verified().unwrap_or(self.config.trust_email);
                identity.name = identity.name.or(info.name().and_then(|n| n.get(None)).map(|n| n.as_str().to_string()));
            }
        }
        Ok(identity)
    }

    /// Where to send the browser to sign out at the provider too, when it offers that.
    pub async fn logout_url(&self, id_token: &str) -> Option<String> {
        let (end_session, client_id) = {
            let p = self.provider.read().unwrap_or_else(|e| e.into_inner());
            (p.end_session.clone()?, p.client.client_id().clone())
        };
        let token: CoreIdToken = id_token.parse().ok()?;
        let request = LogoutRequest::from(end_session)
            .set_id_token_hint(&token)
            .set_client_id(client_id)
            .set_post_logout_redirect_uri(self.post_logout.clone());
        Some(request.http_get_url().to_string())
    }
}

/// The ID token's claims once its signature (by the provider's keys), issuer, audience (this
/// client), expiry and nonce (this sign-in's) check out.
fn checked_claims<'t>(
    verifier: &CoreIdTokenVerifier<'_>,
    id_token: &'t CoreIdToken,
    nonce: &Nonce,
) -> Result<&'t CoreIdTokenClaims, Error> {
    id_token.claims(verifier, nonce).map_err(|e| refused(untrusted(), &format!("ID token: {}", error_chain(&e))))
}

async fn read_provider(
    config: &SsoConfig,
    issuer: &IssuerUrl,
    redirect: &RedirectUrl,
    http: &reqwest::Client,
) -> anyhow::Result<Provider> {
    let metadata = ProviderMetadataWithLogout::discover_async(issuer.clone(), http).await.map_err(|e| {
        anyhow!(
            "BRIDGE_OIDC_ISSUER {}: Bridge could not read the provider's discovery document at \
             {}/.well-known/openid-configuration: {}",
            issuer.as_str(),
            issuer.as_str(),
            error_chain(&e)
        )
    })?;
    let end_session = metadata.additional_metadata().end_session_endpoint.clone();
    let client = CoreClient::from_provider_metadata(
        metadata,
        ClientId::new(config.client_id.trim().into()),
        Some(ClientSecret::new(config.client_secret.trim().into())),
    )
    .set_redirect_uri(redirect.clone());
    Ok(Provider { client: Arc::new(client), end_session, read_at: Instant::now() })
}

/// The account of the person the provider vouched for: the one linked to them, else the one
/// with their verified email (linked now), else a new one when administrators allow it.
async fn account_for(db: &Db, identity: &Identity) -> Result<i64, Error> {
    let actor = Actor::system("single sign-on");
    if let Some(record) = db.login_record_by_subject(&identity.subject).await? {
        return usable(record.account_id, record.disabled_at);
    }
    let email = email_to_match(identity).inspect_err(|e| tracing::warn!(error = %e, "single sign-on refused"))?;
    if let Some(record) = db.login_record(&email).await? {
        usable(record.account_id, record.disabled_at)?;
        db.link_sso_subject(&actor, record.account_id, &identity.subject).await?;
        return Ok(record.account_id);
    }
    let NewAccounts::WithRole(role) = db.sign_in_settings().await?.new_accounts else {
        tracing::warn!(%email, "single sign-on refused: no account, and new accounts are off");
        return Err(no_account(&email));
    };
    let existing = db.find_person_by_email(&email).await?;
    if existing.as_ref().is_some_and(|p| p.archived_at.is_some()) {
        return Err(Error::forbidden("Your entry in Bridge's directory was removed. Ask an administrator."));
    }
    let person = ValidPerson {
        name: existing.as_ref().map_or_else(|| name_for(identity, &email), |p| p.name.clone()),
        email: email.clone(),
        side: if role == Role::It { Side::It } else { Side::Business },
        title: String::new(),
        unit_id: None,
        team_id: None,
        manager_id: None,
    };
    db.create_sso_account(&actor, existing.map(|p| p.id), &person, role, &identity.subject).await
}

fn usable(account_id: i64, disabled_at: Option<i64>) -> Result<i64, Error> {
    match disabled_at {
        None => Ok(account_id),
        Some(_) => Err(Error::forbidden("Your Bridge account is switched off. Ask an administrator.")),
    }
}

/// A refusal: the detail goes to the log, the person reads `message`.
fn refused(message: String, detail: &str) -> Error {
    tracing::warn!(detail, "single sign-on refused");
    Error::Unauthorized(message)
}

fn untrusted() -> String {
    "Bridge could not confirm your sign-in with the sign-in service, so it did not sign you in. Try again; if it \
     keeps failing, tell an administrator (the details are in Bridge's log)."
        .into()
}

/// An error with its causes, which say what actually failed.
fn error_chain(e: &dyn std::error::Error) -> String {
    let mut words = e.to_string();
    let mut cause = e.source();
    while let Some(c) = cause {
        words.push_str(": ");
        words.push_str(&c.to_string());
        cause = c.source();
    }
    words
}

/// Who may sign in how (administrators).
pub async fn settings(db: &Db, caller: &Caller) -> Result<SignInSettings, Error> {
    caller.require_admin()?;
    db.sign_in_settings().await
}

/// Saves who may sign in how (administrators), from the codes a form or the API sends
/// (`everyone` or `break_glass:<account id>`; `off` or a role). Password sign-in goes off only
/// with single sign-on set up, and only with an enabled administrator kept as the way in when it
/// fails.
pub async fn save_settings(
    db: &Db,
    caller: &Caller,
    sso_set_up: bool,
    password_code: &str,
    new_accounts_code: &str,
) -> Result<SignInSettings, Error> {
    caller.require_admin()?;
    let mut fields = bridge_domain::FieldErrors::new();
    let password = PasswordSignIn::from_code(password_code);
    if password.is_none() {
        fields.insert(
            "password_sign_in".into(),
            "Choose everyone, or the one administrator (break_glass:<account id>).".into(),
        );
    }
    let new_accounts = NewAccounts::from_code(new_accounts_code);
    if new_accounts.is_none() {
        fields
            .insert("new_accounts".into(), "Choose off, or the role new accounts get (viewer, business or it).".into());
    }
    Error::check(fields)?;
    let s = SignInSettings { password: password.expect("checked"), new_accounts: new_accounts.expect("checked") };
    if let PasswordSignIn::OnlyBreakGlass(id) = s.password {
        if !sso_set_up {
            return Err(Error::field(
                "password_sign_in",
                "Single sign-on is not set up on this server, so password sign-in stays on for everyone.",
            ));
        }
        let admin = db.get_account(id).await.ok().filter(|a| a.role == Role::Admin && a.disabled_at.is_none());
        if admin.is_none() {
            return Err(Error::field(
                "password_sign_in",
                "Choose an administrator whose account is on as the one who may still sign in with a password.",
            ));
        }
    }
    if s.new_accounts == NewAccounts::WithRole(Role::Admin) {
        return Err(Error::field("new_accounts", "New accounts cannot be administrators: give that role by hand."));
    }
    db.save_sign_in_settings(&caller.actor, &s).await?;
    Ok(s)
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::{Duration as Days, Utc};
    use openidconnect::core::{CoreJwsSigningAlgorithm, CoreRsaPrivateSigningKey};
    use openidconnect::{
        Audience, EmptyAdditionalClaims, JsonWebKeyId, JsonWebKeySet, PrivateSigningKey, StandardClaims,
        SubjectIdentifier,
    };

    const ISSUER: &str = "https://login.example.com";
    const CLIENT: &str = "bridge";

    fn key() -> CoreRsaPrivateSigningKey {
        let pem = include_str!("../../tests/fixtures/id-token-test-key.pem");
        CoreRsaPrivateSigningKey::from_pem(pem, Some(JsonWebKeyId::new("k1".into()))).unwrap()
    }

    /// An ID token signed with the test key; `change` alters its claims first.
    fn token(change: impl FnOnce(&mut (String, String, i64, &'static str))) -> CoreIdToken {
        let mut parts = (ISSUER.to_string(), CLIENT.to_string(), 600, "n-1");
        change(&mut parts);
        let (issuer, audience, expires_in, nonce) = parts;
        let now = Utc::now();
        let claims = CoreIdTokenClaims::new(
            IssuerUrl::new(issuer).unwrap(),
            vec![Audience::new(audience)],
            now + Days::seconds(expires_in),
            now - Days::seconds(700),
            StandardClaims::new(SubjectIdentifier::new("ana".into())),
            EmptyAdditionalClaims {},
        )
        .set_nonce(Some(Nonce::new(nonce.into())));
        CoreIdToken::new(claims, &key(), CoreJwsSigningAlgorithm::RsaSsaPkcs1V15Sha256, None, None).unwrap()
    }

    fn check(t: &CoreIdToken) -> Result<String, Error> {
        let jwks = JsonWebKeySet::new(vec![key().as_verification_key()]);
        let verifier = CoreIdTokenVerifier::new_confidential_client(
            ClientId::new(CLIENT.into()),
            ClientSecret::new("s".into()),
            IssuerUrl::new(ISSUER.into()).unwrap(),
            jwks,
        );
        checked_claims(&verifier, t, &Nonce::new("n-1".into())).map(|c| c.subject().as_str().to_string())
    }

    #[test]
    fn a_good_id_token_is_taken() {
        assert_eq!(check(&token(|_| {})).unwrap(), "ana");
    }

    #[test]
    fn a_wrong_audience_issuer_nonce_or_an_expired_token_is_refused() {
        let refusals = [
            token(|t| t.1 = "another-app".into()),
            token(|t| t.0 = "https://evil.example.com".into()),
            token(|t| t.3 = "n-2"),
            token(|t| t.2 = -60),
        ];
        for t in &refusals {
            let e = check(t).unwrap_err();
            assert!(matches!(e, Error::Unauthorized(_)), "{e:?}");
            assert!(e.to_string().contains("could not confirm your sign-in"));
        }
    }

    #[test]
    fn a_token_signed_with_another_key_is_refused() {
        let good = token(|_| {}).to_string();
        let (head, rest) = good.split_once('.').unwrap();
        let (body, _signature) = rest.split_once('.').unwrap();
        let forged: CoreIdToken = format!("{head}.{body}.{}", "A".repeat(342)).parse().unwrap();
        assert!(check(&forged).is_err());
    }
}
