// replylint pre-send hook for the Zendesk Apps Framework (ZAF v2).
//
// registerSaveHook(client, options) registers a `ticket.save` handler that
// sends the draft public reply to `replylint serve` (POST /v1/check) and
//   - block: rejects the save with the reasons and the top findings
//            (ZAF cancels the save and shows the message to the agent);
//   - warn:  lets the save go through and shows the findings as a notice;
//   - allow: lets the save go through silently.
// Internal notes and empty comments are not checked. When the service cannot
// be reached the save goes through with an alert (failOpen, the default) or
// is cancelled (failOpen: false).
// The requester's latest comment goes along as `customer`, so that the checks
// that read the customer's message (an upset customer, their order number,
// what they asked) work in Zendesk too; a very long one is left out rather
// than push the request over the service's body limit.
//
// Plain ES module with no dependencies: the browser loads it from
// assets/main.js, node's test runner imports it with a fake ZAF client.

const CHANNELS = {
  chat: 'chat', native_messaging: 'chat', messaging: 'chat', whatsapp: 'chat',
  twitter: 'social', facebook: 'social', instagram: 'social', any_channel: 'social',
  sms: 'sms', voice: 'sms',
};

// What ZAF is asked for on every save.
export const PATHS = ['ticket.comment', 'ticket.brand', 'ticket.via', 'ticket.comments', 'ticket.requester.id'];

// HTML comments pasted from mail clients can be large; past this the message is not sent.
export const CUSTOMER_MAX_CHARS = 20000;

// The requester's latest comment (HTML), or null. Comments are matched on the
// requester's id, or on the end-user role when the id is unknown; the latest is
// the one with the highest id (Zendesk comment ids grow over time).
export function customerMessage(comments, requesterId) {
  if (!Array.isArray(comments)) return null;
  const known = requesterId !== undefined && requesterId !== null;
  let latest = null;
  for (const c of comments) {
    const author = (c && c.author) || {};
    const theirs = known ? author.id === requesterId : author.role === 'end-user';
    if (!theirs || typeof c.value !== 'string' || !c.value.trim()) continue;
    if (latest === null || !(Number(c.id) < Number(latest.id))) latest = c; // no ids: the later in the list
  }
  return latest && latest.value.length <= CUSTOMER_MAX_CHARS ? latest.value : null;
}

export function toRequest(data) {
  const comment = data['ticket.comment'] || {};
  const brand = data['ticket.brand'];
  const via = data['ticket.via'];
  const request = { reply: comment.text || '', format: 'html' };
  const customer = customerMessage(data['ticket.comments'], data['ticket.requester.id']);
  if (customer !== null) request.customer = customer;
  if (brand && brand.id !== undefined && brand.id !== null) request.brand = String(brand.id);
  const channel = via && CHANNELS[via.channel];
  if (channel) request.channel = channel;
  return request;
}

export function formatFindings(result, { max = 5 } = {}) {
  const lines = [];
  for (const reason of result.reasons || []) lines.push(reason.message);
  const shown = (result.findings || []).filter((f) => !f.accepted && f.severity !== 'info').slice(0, max);
  for (const f of shown) {
    const fix = (f.suggestions || []).find((s) => s.replacement);
    lines.push(`${f.code} «${f.excerpt}»: ${f.message}${fix ? ` → ${fix.replacement}` : ''}`);
  }
  const score = result.score === null || result.score === undefined ? '' : ` (score ${result.score}/100)`;
  return `replylint${score}:\n` + lines.join('\n');
}

export async function checkDraft(request, { serviceUrl, token, fetchImpl = globalThis.fetch, timeoutMs = 3000 }) {
  const headers = { 'content-type': 'application/json' };
  if (token) headers.authorization = `Bearer ${token}`;
  const response = await fetchImpl(new URL('/v1/check', serviceUrl).toString(), {
    method: 'POST',
    headers,
    body: JSON.stringify(request),
    signal: AbortSignal.timeout(timeoutMs),
  });
  const body = await response.json().catch(() => null);
  if (!response.ok) {
    const detail = body && body.detail;
    const message = Array.isArray(detail) ? detail.map((d) => d.msg).join('; ') : detail || response.statusText;
    const error = new Error(`replylint answered ${response.status}: ${message}`);
    error.status = response.status;
    throw error;
  }
  return body;
}

export function registerSaveHook(client, options) {
  const { failOpen = true } = options;
  const handler = async () => {
    const data = await client.get(PATHS);
    const comment = data['ticket.comment'];
    if (!comment || comment.type === 'internalNote' || !String(comment.text || '').trim()) return true;
    let result;
    try {
      result = await checkDraft(toRequest(data), options);
    } catch (error) {
      if (error.status === 422) return true; // nothing checkable (e.g. only quoted text): do not stand in the way
      const message = `replylint could not check this reply (${error.message})`;
      if (failOpen) {
        client.invoke('notify', `${message}; it was sent unchecked.`, 'alert');
        return true;
      }
      throw `${message}. Try again, or ask an admin.`; // ZAF: a rejected string cancels the save and is shown
    }
    if (result.decision === 'block') throw formatFindings(result);
    if (result.decision === 'warn') client.invoke('notify', formatFindings(result), 'notice', { sticky: true });
    return true;
  };
  client.on('ticket.save', handler);
  return handler;
}
