// Browser glue: the ZAF client from the SDK, the settings from the manifest, the hook from replylint-hook.js.
import { registerSaveHook } from './replylint-hook.js';

const client = window.ZAFClient.init();
client.invoke('resize', { width: '100%', height: '40px' });
client.metadata().then(({ settings }) => {
  registerSaveHook(client, {
    serviceUrl: settings.serviceUrl,
    token: settings.token || undefined,
    failOpen: settings.failOpen !== false,
    timeoutMs: Number(settings.timeoutMs) || 3000,
  });
});
