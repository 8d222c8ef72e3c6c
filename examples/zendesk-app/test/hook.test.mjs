// node --test examples/zendesk-app/test/
//
// Runs the app's ticket.save logic against a real `replylint serve` started
// here on 127.0.0.1 (python from $PYTHON, default python3; the repository
// root is put on PYTHONPATH). Only the ZAF client object is faked, and with it
// the part of Zendesk's proxy that matters here: a request made with
// `secure: true` gets {{setting.token}} replaced by the secure setting on the
// way out, which the app's code never sees. The app may not call fetch itself.

import { test, before, after, afterEach } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { fileURLToPath } from 'node:url';
import path from 'node:path';

import {
  AUTHORIZATION, CUSTOMER_MAX_CHARS, checkUrl, customerMessage, formatFindings, registerSaveHook, toRequest,
} from '../assets/replylint-hook.js';
import { MESSAGES, pickLocale, t } from '../assets/i18n.js';
import { hookOptions, start } from '../assets/main.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
const TOKEN = 'zendesk-app-test-token';
let server;
let serviceUrl;
// Only the fake proxy may reach the network; the app's code must go through client.request.
const proxyFetch = globalThis.fetch;
// What the app must never do (call fetch, hand the token to ZAF); the app's own error handling
// would turn a throw into a fail-open alert, so these are collected and checked after each test.
const violations = [];
afterEach(() => { assert.deepEqual(violations.splice(0), []); });

function freePort() {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address();
      probe.close(() => resolve(port));
    });
  });
}

async function waitReady(url, ms = 120000) {
  const deadline = Date.now() + ms;
  while (Date.now() < deadline) {
    if (server.exitCode !== null) throw new Error(`replylint serve exited with ${server.exitCode}`);
    try {
      const r = await proxyFetch(`${url}/readyz`);
      if (r.status === 200) return;
    } catch { /* not listening yet */ }
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error('replylint serve did not become ready');
}

before(async () => {
  const port = await freePort();
  serviceUrl = `http://127.0.0.1:${port}`;
  server = spawn(process.env.PYTHON || 'python3',
    ['-m', 'replylint', 'serve', '--host', '127.0.0.1', '--port', String(port), '--log-level', 'warning'], {
      cwd: root,
      env: { ...process.env, PYTHONPATH: root, REPLYLINT_NLP: 'blank', REPLYLINT_TOKEN: TOKEN },
      stdio: ['ignore', 'ignore', 'inherit'],
    });
  await waitReady(serviceUrl);
  globalThis.fetch = () => {
    violations.push('the app called fetch');
    throw new Error('the app called fetch: requests must go through client.request');
  };
});

after(() => {
  globalThis.fetch = proxyFetch;
  if (server && server.exitCode === null) server.kill('SIGTERM');
});

// What Zendesk's proxy does with a secure request: fills in the secure settings, sends it from
// the server side, and answers like jQuery.ajax (the parsed body, or a rejection with the response).
async function proxy(options, secureSettings) {
  const fill = (value) => value.replace(/\{\{setting\.(\w+)\}\}/g, (_, name) => secureSettings[name] ?? '');
  const headers = { 'content-type': options.contentType };
  for (const [name, value] of Object.entries(options.headers || {})) headers[name] = options.secure ? fill(value) : value;
  let response;
  try {
    response = await proxyFetch(options.url, { method: options.type, headers, body: options.data });
  } catch {
    throw { status: 0, statusText: 'error', responseText: '' };
  }
  const text = await response.text();
  let json;
  try { json = JSON.parse(text); } catch { json = undefined; }
  if (!response.ok) throw { status: response.status, statusText: response.statusText, responseText: text, responseJSON: json };
  return json;
}

// The ZAF client: get() answers from `ticket`, on() keeps the handler, invoke() records notices,
// request() records its options and hands them to the proxy with the secure token.
function fakeClient(ticket, { token = TOKEN, request } = {}) {
  const client = {
    handlers: {}, notices: [], gets: 0, requests: [],
    on(event, fn) { this.handlers[event] = fn; },
    async get(paths) {
      this.gets += 1;
      if (typeof paths === 'string') return paths in ticket ? { [paths]: ticket[paths] } : {};
      return Object.fromEntries(paths.filter((p) => p in ticket).map((p) => [p, ticket[p]]));
    },
    invoke(name, ...args) { this.notices.push([name, ...args]); },
    request(options) {
      this.requests.push(options);
      // Whatever the app hands to ZAF is visible in the browser: it must never hold the token.
      if (JSON.stringify(options).includes(TOKEN)) violations.push('the token reached the browser');
      return request ? request(options) : proxy(options, { token });
    },
    // What ZAF does with a ticket.save handler: a rejection cancels the save and shows the message.
    async save() {
      try { await this.handlers['ticket.save'](); return { saved: true }; }
      catch (message) { return { saved: false, message }; }
    },
  };
  return client;
}

const NEGATIVE = '<p>Buongiorno Sig.ra Bianchi,</p><p>come già detto nella mail precedente, non possiamo rimborsare la spedizione. '
  + 'Il ritardo non è colpa nostra: la consegna dipende dal corriere.</p><p>Avrebbe dovuto controllare l\'indirizzo '
  + 'prima di confermare l\'ordine.</p><p>Cordiali saluti,<br>Giulia</p>';
const WARNING = '<p>Ciao Marco,</p><p>come già detto, il pacco arriva giovedì.</p><p>Un caro saluto,<br>Giulia</p>';
const POSITIVE = '<p>Hi Tom,</p><p>Thank you for getting in touch, and I&#39;m sorry your parcel is late. I understand how '
  + 'frustrating it is to wait for an order that doesn&#39;t show up.</p><p>I checked order 48213: the courier logged a '
  + 'delay at their sorting hub. I have opened a trace with them and refunded your shipping fee; you&#39;ll see it on '
  + 'your card within 3-5 business days.</p><p>I&#39;ll email you again by Thursday with the courier&#39;s update. If '
  + 'anything comes up in the meantime, just reply to this email.</p><p>Best regards,<br>Sam - Customer Care</p>';

const ticket = (text, type = 'publicReply') => ({
  'ticket.comment': { text, type },
  'ticket.brand': { id: 42, name: 'Acme' },
  'ticket.via': { channel: 'web' },
});

test('registers the ticket.save hook', () => {
  const client = fakeClient(ticket(POSITIVE));
  registerSaveHook(client, { serviceUrl });
  assert.equal(typeof client.handlers['ticket.save'], 'function');
});

test('an error-level draft is blocked: the save is cancelled with the findings', async () => {
  const client = fakeClient(ticket(NEGATIVE));
  registerSaveHook(client, { serviceUrl });
  const outcome = await client.save();
  assert.equal(outcome.saved, false);
  assert.match(outcome.message, /error-level findings: .*NEG12[12]/);
  assert.match(outcome.message, /«come già detto»/);
  assert.deepEqual(client.notices, []);
});

test('a draft with warnings is sent and the findings are shown', async () => {
  const client = fakeClient(ticket(WARNING));
  registerSaveHook(client, { serviceUrl });
  const outcome = await client.save();
  assert.equal(outcome.saved, true);
  assert.equal(client.notices.length, 1);
  const [name, message, kind, options] = client.notices[0];
  assert.equal(name, 'notify');
  assert.equal(kind, 'notice');
  assert.deepEqual(options, { sticky: true });
  assert.match(message, /NEG120 «come già detto».*→ come anticipato/);
});

test('a good draft is sent silently', async () => {
  const client = fakeClient(ticket(POSITIVE));
  registerSaveHook(client, { serviceUrl });
  assert.deepEqual(await client.save(), { saved: true });
  assert.deepEqual(client.notices, []);
});

test('internal notes and empty comments are not sent to the service', async () => {
  for (const draft of [ticket(NEGATIVE, 'internalNote'), ticket('   ')]) {
    const client = fakeClient(draft);
    registerSaveHook(client, { serviceUrl });
    assert.deepEqual(await client.save(), { saved: true });
    assert.deepEqual(client.requests, []);
  }
});

test('a wrong token fails open with an alert, or cancels the save when failOpen is false', async () => {
  const open = fakeClient(ticket(NEGATIVE), { token: 'wrong' });
  registerSaveHook(open, { serviceUrl });
  assert.deepEqual(await open.save(), { saved: true });
  assert.equal(open.notices[0][2], 'alert');
  assert.match(open.notices[0][1], /401/);

  const closed = fakeClient(ticket(NEGATIVE), { token: 'wrong' });
  registerSaveHook(closed, { serviceUrl, failOpen: false });
  const outcome = await closed.save();
  assert.equal(outcome.saved, false);
  assert.match(outcome.message, /could not check this reply.*401/);
});

test('an unreachable service fails open', async () => {
  const client = fakeClient(ticket(NEGATIVE));
  registerSaveHook(client, { serviceUrl: 'http://127.0.0.1:9', timeoutMs: 1000 });
  assert.deepEqual(await client.save(), { saved: true });
  assert.equal(client.notices[0][2], 'alert');
  assert.match(client.notices[0][1], /could not be reached\); it was sent unchecked/);
});

test('the request carries the HTML, the brand id and the channel', () => {
  assert.deepEqual(toRequest({ ...ticket('<p>x</p>'), 'ticket.via': { channel: 'chat' } }),
    { reply: '<p>x</p>', format: 'html', brand: '42', channel: 'chat' });
});

// A cheerful reply is fine on its own and wrong to an angry customer: only the context tells.
const CHEERFUL = '<p>Ciao Luca! Ecco fatto 😄 il rimborso è partito oggi, lo vedrai sul conto entro 3 giorni.</p>'
  + '<p>A presto,<br>Marta</p>';
const ANGRY = '<p>È la terza volta che vi scrivo e nessuno mi risponde!!! Sono furioso, rivoglio i miei soldi.</p>';
const REQUESTER = 7001;
const comments = (...list) => list.map(([id, authorId, value, role = 'end-user']) => ({
  id, value, author: { id: authorId, role },
}));

test('the requester\'s latest comment is sent as the customer message', () => {
  const thread = comments(
    [11, REQUESTER, '<p>first message</p>'],
    [13, REQUESTER, '<p>latest message</p>'],
    [12, 555, '<p>an agent answer</p>', 'agent'],
    [14, 555, '<p>a newer agent note</p>', 'agent'],
  );
  assert.equal(customerMessage(thread, REQUESTER), '<p>latest message</p>');
  // Without the requester's id, the end-user role decides.
  assert.equal(customerMessage(thread, undefined), '<p>latest message</p>');
  // Without ids, the later comment in the list.
  assert.equal(customerMessage([{ value: 'a', author: { id: 1 } }, { value: 'b', author: { id: 1 } }], 1), 'b');
  // Nothing of theirs, empty text, no comments, or too long to send: no customer message.
  assert.equal(customerMessage(comments([12, 555, '<p>x</p>', 'agent']), REQUESTER), null);
  assert.equal(customerMessage(comments([12, REQUESTER, '  ']), REQUESTER), null);
  assert.equal(customerMessage(undefined, REQUESTER), null);
  assert.equal(customerMessage(comments([12, REQUESTER, 'x'.repeat(CUSTOMER_MAX_CHARS + 1)]), REQUESTER), null);

  const request = toRequest({ ...ticket(CHEERFUL), 'ticket.comments': thread, 'ticket.requester.id': REQUESTER });
  assert.equal(request.customer, '<p>latest message</p>');
  assert.equal('customer' in toRequest(ticket(CHEERFUL)), false);
});

test('with the customer\'s message, a playful reply to an angry customer is flagged (and not without it)', async () => {
  const withContext = fakeClient({
    ...ticket(CHEERFUL),
    'ticket.comments': comments([21, REQUESTER, ANGRY]),
    'ticket.requester.id': REQUESTER,
  });
  registerSaveHook(withContext, { serviceUrl });
  assert.deepEqual(await withContext.save(), { saved: true });
  assert.equal(withContext.notices.length, 1);
  assert.match(withContext.notices[0][1], /TCX101 «😄»/);

  const alone = fakeClient(ticket(CHEERFUL));
  registerSaveHook(alone, { serviceUrl });
  assert.deepEqual(await alone.save(), { saved: true });
  assert.deepEqual(alone.notices, []);
});

test('the check goes through client.request with secure: true and the token placeholder, never the token', async () => {
  const client = fakeClient({ ...ticket(WARNING), 'ticket.via': { channel: 'chat' } });
  registerSaveHook(client, { serviceUrl, timeoutMs: 2500 });
  assert.equal((await client.save()).saved, true);
  assert.equal(client.requests.length, 1);
  const [options] = client.requests;
  assert.equal(options.url, `${serviceUrl}/v1/check`);
  assert.equal(options.type, 'POST');
  assert.equal(options.contentType, 'application/json');
  assert.equal(options.secure, true);
  assert.equal(options.cors, false);
  assert.equal(options.timeout, 2500);
  assert.deepEqual(options.headers, { Authorization: 'Bearer {{setting.token}}' });
  assert.equal(AUTHORIZATION, 'Bearer {{setting.token}}');
  assert.deepEqual(JSON.parse(options.data), { reply: WARNING, format: 'html', brand: '42', channel: 'chat' });
  assert.ok(!JSON.stringify(options).includes(TOKEN));
  // The placeholder is what authenticates: the same request without the proxy's substitution is refused.
  await assert.rejects(proxy(options, {}), (response) => response.status === 401);
});

test('the hook takes no token: it is a secure setting only the proxy holds', () => {
  assert.throws(() => registerSaveHook(fakeClient(ticket(POSITIVE)), { serviceUrl, token: TOKEN }), TypeError);
});

test('main.js passes the plain settings and the agent\'s language, and never a token', async () => {
  const status = { textContent: '' };
  const doc = { documentElement: {}, getElementById: (id) => (id === 'status' ? status : null) };
  const client = fakeClient({ ...ticket(NEGATIVE), 'currentUser.locale': 'it-IT' }, { token: 'wrong' });
  // Even if a token showed up among the settings, main.js would not pass it on.
  client.metadata = async () => ({ settings: { serviceUrl, failOpen: true, timeoutMs: '2000', token: TOKEN } });
  await start(client, doc);
  assert.equal(doc.documentElement.lang, 'it');
  assert.equal(status.textContent, MESSAGES.it.status);
  assert.deepEqual(client.notices[0], ['resize', { width: '100%', height: '40px' }]);
  assert.deepEqual(await client.save(), { saved: true });
  const [, message, kind] = client.notices[1];
  assert.equal(kind, 'alert');
  assert.match(message, /^replylint non è riuscito a controllare questa risposta \(replylint ha risposto 401: .*\); è stata inviata senza controllo\.$/);
  assert.equal(client.requests[0].timeout, 2000);

  assert.deepEqual(hookOptions({ serviceUrl: 'https://x.example', token: 'leak', failOpen: false }, 'en'),
    { serviceUrl: 'https://x.example', failOpen: false, timeoutMs: 3000, locale: 'en' });
});

test('blocked and warned drafts are explained in the agent\'s language', async () => {
  const client = fakeClient(ticket(NEGATIVE));
  registerSaveHook(client, { serviceUrl, locale: 'it' });
  const outcome = await client.save();
  assert.equal(outcome.saved, false);
  assert.match(outcome.message, /^replylint \(punteggio \d+\/100\):\n/);
  assert.equal(formatFindings({ reasons: [{ message: 'x' }], findings: [] }, { locale: 'en' }), 'replylint:\nx');
});

test('a service that does not answer in time fails open', async () => {
  const client = fakeClient(ticket(NEGATIVE), { request: () => new Promise(() => {}) });
  registerSaveHook(client, { serviceUrl, timeoutMs: 150 });
  assert.deepEqual(await client.save(), { saved: true });
  assert.match(client.notices[0][1], /could not check this reply \(no answer within 150 ms\); it was sent unchecked/);
});

test('a 422 (nothing checkable) lets the reply through without a notice', async () => {
  const client = fakeClient(ticket(NEGATIVE), {
    request: async () => { throw { status: 422, statusText: 'Unprocessable', responseJSON: { detail: [{ msg: 'empty' }] } }; },
  });
  registerSaveHook(client, { serviceUrl, failOpen: false });
  assert.deepEqual(await client.save(), { saved: true });
  assert.deepEqual(client.notices, []);
});

test('an invalid service URL is reported without any request', async () => {
  const client = fakeClient(ticket(NEGATIVE));
  registerSaveHook(client, { serviceUrl: 'replylint.acme.com', failOpen: false });
  const outcome = await client.save();
  assert.equal(outcome.saved, false);
  assert.match(outcome.message, /not a valid web address/);
  assert.deepEqual(client.requests, []);
});

test('the check URL keeps a path prefix and drops query and fragment', () => {
  assert.equal(checkUrl('https://rl.acme.com'), 'https://rl.acme.com/v1/check');
  assert.equal(checkUrl('https://rl.acme.com/'), 'https://rl.acme.com/v1/check');
  assert.equal(checkUrl('https://acme.com/replylint/'), 'https://acme.com/replylint/v1/check');
  assert.equal(checkUrl(' https://acme.com/replylint?x=1#y '), 'https://acme.com/replylint/v1/check');
  assert.equal(checkUrl('ftp://acme.com'), null);
  assert.equal(checkUrl(''), null);
  assert.equal(checkUrl(undefined), null);
});

test('English and Italian have the same messages, and locales fall back to English', () => {
  assert.deepEqual(Object.keys(MESSAGES.it).sort(), Object.keys(MESSAGES.en).sort());
  for (const [locale, table] of Object.entries(MESSAGES)) {
    for (const [key, text] of Object.entries(table)) {
      const names = (s) => [...s.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();
      assert.deepEqual(names(text), names(MESSAGES.en[key]), `${locale}.${key}`);
    }
  }
  assert.equal(pickLocale('it-CH'), 'it');
  assert.equal(pickLocale('en-GB'), 'en');
  assert.equal(pickLocale('de'), 'en');
  assert.equal(pickLocale(undefined), 'en');
  assert.equal(t('it', 'timedOut', { ms: 5 }), 'nessuna risposta entro 5 ms');
});
