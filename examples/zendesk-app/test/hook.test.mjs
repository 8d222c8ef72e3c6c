// node --test examples/zendesk-app/test/
//
// Runs the app's ticket.save logic against a real `replylint serve` started
// here on 127.0.0.1 (python from $PYTHON, default python3; the repository
// root is put on PYTHONPATH). Only the ZAF client object is faked.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { fileURLToPath } from 'node:url';
import path from 'node:path';

import { CUSTOMER_MAX_CHARS, customerMessage, registerSaveHook, toRequest } from '../assets/replylint-hook.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
const TOKEN = 'zendesk-app-test-token';
let server;
let serviceUrl;

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
      const r = await fetch(`${url}/readyz`);
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
});

after(() => { if (server && server.exitCode === null) server.kill('SIGTERM'); });

// The ZAF client: get() answers from `ticket`, on() keeps the handler, invoke() records notices.
function fakeClient(ticket) {
  const client = {
    handlers: {}, notices: [], gets: 0,
    on(event, fn) { this.handlers[event] = fn; },
    async get(paths) {
      this.gets += 1;
      return Object.fromEntries(paths.filter((p) => p in ticket).map((p) => [p, ticket[p]]));
    },
    invoke(name, ...args) { this.notices.push([name, ...args]); },
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
  registerSaveHook(client, { serviceUrl, token: TOKEN });
  assert.equal(typeof client.handlers['ticket.save'], 'function');
});

test('an error-level draft is blocked: the save is cancelled with the findings', async () => {
  const client = fakeClient(ticket(NEGATIVE));
  registerSaveHook(client, { serviceUrl, token: TOKEN });
  const outcome = await client.save();
  assert.equal(outcome.saved, false);
  assert.match(outcome.message, /error-level findings: .*NEG12[12]/);
  assert.match(outcome.message, /«come già detto»/);
  assert.deepEqual(client.notices, []);
});

test('a draft with warnings is sent and the findings are shown', async () => {
  const client = fakeClient(ticket(WARNING));
  registerSaveHook(client, { serviceUrl, token: TOKEN });
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
  registerSaveHook(client, { serviceUrl, token: TOKEN });
  assert.deepEqual(await client.save(), { saved: true });
  assert.deepEqual(client.notices, []);
});

test('internal notes and empty comments are not sent to the service', async () => {
  let calls = 0;
  const fetchImpl = (...args) => { calls += 1; return fetch(...args); };
  for (const t of [ticket(NEGATIVE, 'internalNote'), ticket('   ')]) {
    const client = fakeClient(t);
    registerSaveHook(client, { serviceUrl, token: TOKEN, fetchImpl });
    assert.deepEqual(await client.save(), { saved: true });
  }
  assert.equal(calls, 0);
});

test('a wrong token fails open with an alert, or cancels the save when failOpen is false', async () => {
  const open = fakeClient(ticket(NEGATIVE));
  registerSaveHook(open, { serviceUrl, token: 'wrong' });
  assert.deepEqual(await open.save(), { saved: true });
  assert.equal(open.notices[0][2], 'alert');
  assert.match(open.notices[0][1], /401/);

  const closed = fakeClient(ticket(NEGATIVE));
  registerSaveHook(closed, { serviceUrl, token: 'wrong', failOpen: false });
  const outcome = await closed.save();
  assert.equal(outcome.saved, false);
  assert.match(outcome.message, /could not check this reply.*401/);
});

test('an unreachable service fails open', async () => {
  const client = fakeClient(ticket(NEGATIVE));
  registerSaveHook(client, { serviceUrl: 'http://127.0.0.1:9', token: TOKEN, timeoutMs: 1000 });
  assert.deepEqual(await client.save(), { saved: true });
  assert.equal(client.notices[0][2], 'alert');
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
  registerSaveHook(withContext, { serviceUrl, token: TOKEN });
  assert.deepEqual(await withContext.save(), { saved: true });
  assert.equal(withContext.notices.length, 1);
  assert.match(withContext.notices[0][1], /TCX101 «😄»/);

  const alone = fakeClient(ticket(CHEERFUL));
  registerSaveHook(alone, { serviceUrl, token: TOKEN });
  assert.deepEqual(await alone.save(), { saved: true });
  assert.deepEqual(alone.notices, []);
});
