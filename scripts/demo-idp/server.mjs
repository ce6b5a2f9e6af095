// DEMO ONLY. An upstream OpenID Connect provider standing in for Northgate Cross-Dock's own company sign-in, so
// that federated sign-in with home-realm discovery can be tried from scripts/run.sh. It holds one person, keeps
// everything in memory, makes a new signing key at every start and runs on plain HTTP on the loopback address.
// Nothing here is fit for anything but a local demonstration; the client secret below is public on purpose.
import { createServer } from 'node:http';
import { generateKeyPairSync, randomBytes, timingSafeEqual } from 'node:crypto';
import Provider from 'oidc-provider';

const port = Number(process.env.DEMO_IDP_PORT ?? 5075);
const issuer = process.env.DEMO_IDP_ISSUER ?? `http://127.0.0.1:${port}/`;
const portal = (process.env.DEMO_IDP_PORTAL ?? 'http://127.0.0.1:5080').replace(/\/$/, '');
const clientId = process.env.DEMO_IDP_CLIENT_ID ?? 'supplierassure-demo';
const clientSecret = process.env.DEMO_IDP_CLIENT_SECRET ?? 'demo-only-northgate-idp-secret';

// The demo person: a verified Northgate address, signing in with the same demo password as the Portal's demo users.
const people = [
  {
    sub: 'northgate-0001',
    email: 'amira.haddad@northgate.example',
    email_verified: true,
    name: 'Amira Haddad (Northgate demo IdP)',
    password: process.env.DEMO_IDP_PASSWORD ?? 'Demo-Passw0rd!',
  },
];

const bySubject = new Map(people.map((p) => [p.sub, p]));
const byEmail = new Map(people.map((p) => [p.email, p]));

const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
const signingKey = { ...privateKey.export({ format: 'jwk' }), kid: `demo-${Date.now()}`, use: 'sig', alg: 'RS256' };

const provider = new Provider(issuer, {
  clients: [
    {
      client_id: clientId,
      client_secret: clientSecret,
      client_name: 'SupplierAssure Portal (demo)',
      redirect_uris: [`${portal}/signin-oidc/northgate`],
      grant_types: ['authorization_code'],
      response_types: ['code'],
      token_endpoint_auth_method: 'client_secret_post',
    },
  ],
  clientAuthMethods: ['client_secret_post'],
  jwks: { keys: [signingKey] },
  cookies: { keys: [randomBytes(32).toString('hex')] },
  claims: { openid: ['sub'], email: ['email', 'email_verified'], profile: ['name'] },
  // The e-mail claims travel in the ID token as well as from the userinfo endpoint.
  conformIdTokenClaims: false,
  pkce: { required: () => true },
  features: { devInteractions: { enabled: false } },
  async findAccount(ctx, sub) {
    const person = bySubject.get(sub);
    if (!person) {
      return undefined;
    }

    return {
      accountId: sub,
      async claims() {
        return { sub, email: person.email, email_verified: person.email_verified, name: person.name };
      },
    };
  },
  // The Portal is this demo provider's only client: consent is implied, so a signed-in person gets a grant for
  // the scopes asked for instead of a consent page.
  async loadExistingGrant(ctx) {
    const grantId = ctx.oidc.result?.consent?.grantId || ctx.oidc.session.grantIdFor(ctx.oidc.client.clientId);
    if (grantId) {
      return ctx.oidc.provider.Grant.find(grantId);
    }

    if (!ctx.oidc.session.accountId) {
      return undefined;
    }

    const grant = new ctx.oidc.provider.Grant({ clientId: ctx.oidc.client.clientId, accountId: ctx.oidc.session.accountId });
    grant.addOIDCScope('openid email profile');
    grant.addOIDCClaims(['sub', 'email', 'email_verified', 'name']);
    await grant.save();
    return grant;
  },
  interactions: { url: (ctx, interaction) => `/interaction/${interaction.uid}` },
});

const escape = (value) => String(value ?? '').replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]);

function loginPage(uid, email, problem) {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Northgate sign-in (demo)</title></head>
<body style="font-family: sans-serif; max-width: 28rem; margin: 3rem auto">
<h1>Northgate Cross-Dock sign-in</h1>
<p><strong>Demo identity provider.</strong> It knows one person: ${escape(people[0].email)}.</p>
${problem ? `<p role="alert" style="color: #a00">${escape(problem)}</p>` : ''}
<form method="post" action="/interaction/${escape(uid)}/login">
<label>E-mail <input type="email" name="email" value="${escape(email)}" required autofocus></label><br><br>
<label>Password <input type="password" name="password" required></label><br><br>
<button type="submit">Sign in</button>
</form></body></html>`;
}

function readForm(req) {
  return new Promise((resolve, reject) => {
    let body = '';
    req.setEncoding('utf8');
    req.on('data', (chunk) => {
      body += chunk;
      if (body.length > 10_000) {
        reject(new Error('form too large'));
        req.destroy();
      }
    });
    req.on('end', () => resolve(new URLSearchParams(body)));
    req.on('error', reject);
  });
}

function passwordMatches(person, password) {
  const expected = Buffer.from(person.password, 'utf8');
  const given = Buffer.from(password ?? '', 'utf8');
  return expected.length === given.length && timingSafeEqual(expected, given);
}

const callback = provider.callback();
const server = createServer(async (req, res) => {
  const url = new URL(req.url, issuer);
  const match = /^\/interaction\/([^/]+)(\/login)?$/.exec(url.pathname);
  if (!match) {
    callback(req, res);
    return;
  }

  try {
    const details = await provider.interactionDetails(req, res);
    if (details.uid !== match[1]) {
      res.writeHead(400, { 'content-type': 'text/plain' }).end('This sign-in has expired; start again from the Portal.');
      return;
    }

    res.setHeader('cache-control', 'no-store');
    if (req.method === 'GET' && !match[2]) {
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(loginPage(details.uid, details.params.login_hint, null));
      return;
    }

    if (req.method === 'POST' && match[2]) {
      const form = await readForm(req);
      const email = (form.get('email') ?? '').trim().toLowerCase();
      const person = byEmail.get(email);
      if (!person || !passwordMatches(person, form.get('password'))) {
        console.log(`sign-in refused for ${email || '(no address)'}`);
        res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(loginPage(details.uid, email, 'That address or password is not right.'));
        return;
      }

      console.log(`signed in ${person.email}`);
      await provider.interactionFinished(req, res, { login: { accountId: person.sub } }, { mergeWithLastSubmission: false });
      return;
    }

    res.writeHead(405, { 'content-type': 'text/plain' }).end('Method not allowed.');
  } catch (error) {
    console.error(`interaction failed: ${error.message}`);
    if (!res.headersSent) {
      res.writeHead(400, { 'content-type': 'text/plain' }).end('This sign-in has expired or is not valid; start again from the Portal.');
    }
  }
});

server.listen(port, '127.0.0.1', () => {
  console.log(`Demo identity provider (DEMO ONLY) on ${issuer}, client ${clientId}, person ${people[0].email}`);
});

const stop = () => server.close(() => process.exit(0));
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
