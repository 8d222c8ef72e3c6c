// Browser glue: the ZAF client from the SDK, the settings from the manifest, the hook from replylint-hook.js.
//
// Only the plain settings come through client.metadata(); the bearer token is a
// secure setting that ZAF keeps to itself, so it is not read here: the request
// carries the {{setting.token}} placeholder and Zendesk's proxy fills it in.
import { checkUrl, registerSaveHook } from './replylint-hook.js';
import { pickLocale, t } from './i18n.js';

export function hookOptions(settings, locale) {
  const timeoutMs = Number(settings.timeoutMs);
  return {
    serviceUrl: settings.serviceUrl,
    failOpen: settings.failOpen !== false,
    timeoutMs: timeoutMs > 0 ? timeoutMs : 3000,
    locale,
  };
}

export async function start(client, doc) {
  client.invoke('resize', { width: '100%', height: '40px' });
  const [metadata, user] = await Promise.all([
    client.metadata(),
    client.get('currentUser.locale').catch(() => ({})),
  ]);
  const locale = pickLocale(user && user['currentUser.locale']);
  const options = hookOptions((metadata && metadata.settings) || {}, locale);
  if (doc) {
    doc.documentElement.lang = locale;
    const status = doc.getElementById('status');
    if (status) status.textContent = t(locale, checkUrl(options.serviceUrl) ? 'status' : 'badServiceUrl');
  }
  return registerSaveHook(client, options);
}

if (typeof window !== 'undefined' && window.ZAFClient) start(window.ZAFClient.init(), window.document);
