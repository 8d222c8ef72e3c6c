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
// The request goes through ZAF's client.request with `secure: true`: Zendesk's
// proxy sends it from Zendesk's servers and puts the bearer token (the app's
// secure setting `token`) in place of the {{setting.token}} placeholder there.
// The token never reaches the browser, and this code never sees it: ZAF does
// not hand secure settings to the app. The proxy only does this for a host
// listed in the manifest's domainWhitelist.
//
// Plain ES module with no dependencies: the browser loads it from
// assets/main.js, node's test runner imports it with a fake ZAF client.

import { t } from './i18n.js';

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

export function formatFindings(result, { max = 5, locale = 'en' } = {}) {
  const lines = [];
  for (const reason of result.reasons || []) lines.push(reason.message);
  const shown = (result.findings || []).filter((f) => !f.accepted && f.severity !== 'info').slice(0, max);
  for (const f of shown) {
    const fix = (f.suggestions || []).find((s) => s.replacement);
    lines.push(`${f.code} «${f.excerpt}»: ${f.message}${fix ? ` → ${fix.replacement}` : ''}`);
  }
  const title = result.score === null || result.score === undefined
    ? t(locale, 'findingsTitle')
    : t(locale, 'findingsTitleScore', { score: result.score });
  return `${title}\n` + lines.join('\n');
}

// What the proxy puts the secure setting into; the app never holds the token itself.
export const AUTHORIZATION = 'Bearer {{setting.token}}';
export const CHECK_PATH = '/v1/check';

// The check endpoint under the service URL setting, keeping a path prefix
// (https://host/replylint -> https://host/replylint/v1/check); null when the
// setting is not an http(s) URL.
export function checkUrl(serviceUrl) {
  let url;
  try {
    url = new URL(String(serviceUrl || '').trim());
  } catch {
    return null;
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') return null;
  url.pathname = url.pathname.replace(/\/+$/, '') + CHECK_PATH;
  url.search = '';
  url.hash = '';
  return url.toString();
}

// The options handed to client.request for one check.
export function requestOptions(request, { url, timeoutMs = 3000 }) {
  return {
    url,
    type: 'POST',
    contentType: 'application/json',
    data: JSON.stringify(request),
    dataType: 'json',
    headers: { Authorization: AUTHORIZATION },
    secure: true, // the proxy fills in {{setting.token}} on Zendesk's side
    cors: false, // through Zendesk's proxy (secure settings need it)
    timeout: timeoutMs,
  };
}

function failure(message, status = 0) {
  const error = new Error(message);
  error.status = status;
  return error;
}

// ZAF rejects a request with the response (status, statusText, responseText,
// and responseJSON when the body was JSON); status 0 when there was no answer.
function answerError(response, locale) {
  const status = Number(response && response.status) || 0;
  if (!status) return failure(t(locale, 'unreachable'));
  let body = response.responseJSON;
  if (body === undefined && typeof response.responseText === 'string') {
    try { body = JSON.parse(response.responseText); } catch { body = null; }
  }
  const detail = body && body.detail;
  const text = Array.isArray(detail)
    ? detail.map((d) => d && d.msg).filter(Boolean).join('; ')
    : (typeof detail === 'string' && detail) || response.statusText || '';
  return failure(t(locale, 'answered', { status, detail: text }), status);
}

export async function checkDraft(client, request, { serviceUrl, timeoutMs = 3000, locale = 'en' } = {}) {
  const url = checkUrl(serviceUrl);
  if (!url) throw failure(t(locale, 'badServiceUrl'));
  let timer;
  const timedOut = new Promise((_, reject) => {
    timer = setTimeout(() => reject(failure(t(locale, 'timedOut', { ms: timeoutMs }))), timeoutMs);
  });
  let body;
  try {
    body = await Promise.race([client.request(requestOptions(request, { url, timeoutMs })), timedOut]);
  } catch (response) {
    throw response instanceof Error ? response : answerError(response, locale);
  } finally {
    clearTimeout(timer);
  }
  if (typeof body === 'string') {
    try { body = JSON.parse(body); } catch { body = null; }
  }
  if (!body || typeof body.decision !== 'string') throw failure(t(locale, 'unexpected'));
  return body;
}

export function registerSaveHook(client, options) {
  if (Object.prototype.hasOwnProperty.call(options, 'token')) {
    // The token is a secure setting: only Zendesk's proxy ever holds it.
    throw new TypeError('registerSaveHook takes no token; the request carries the {{setting.token}} placeholder');
  }
  const { failOpen = true, locale = 'en' } = options;
  const handler = async () => {
    const data = await client.get(PATHS);
    const comment = data['ticket.comment'];
    if (!comment || comment.type === 'internalNote' || !String(comment.text || '').trim()) return true;
    let result;
    try {
      result = await checkDraft(client, toRequest(data), options);
    } catch (error) {
      if (error.status === 422) return true; // nothing checkable (e.g. only quoted text): do not stand in the way
      const message = t(locale, 'couldNotCheck', { error: error.message });
      if (failOpen) {
        client.invoke('notify', t(locale, 'sentUnchecked', { message }), 'alert');
        return true;
      }
      throw t(locale, 'notSent', { message }); // ZAF: a rejected string cancels the save and is shown
    }
    if (result.decision === 'block') throw formatFindings(result, { locale });
    if (result.decision === 'warn') client.invoke('notify', formatFindings(result, { locale }), 'notice', { sticky: true });
    return true;
  };
  client.on('ticket.save', handler);
  return handler;
}
