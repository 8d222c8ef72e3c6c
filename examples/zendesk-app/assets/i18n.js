// The strings the app shows to agents, in English and Italian.
//
// The translations/ folder holds what Zendesk itself shows (the app's name and
// descriptions, the labels and help texts of its settings); it is not served to
// the app's iframe, so the strings of the iframe live here. The node suite
// checks that English and Italian have the same keys here, the Python suite
// that they do in translations/.

export const MESSAGES = {
  en: {
    status: 'replylint checks public replies before they are sent.',
    badServiceUrl: 'The service URL in the app settings is not a valid web address.',
    findingsTitle: 'replylint:',
    findingsTitleScore: 'replylint (score {score}/100):',
    couldNotCheck: 'replylint could not check this reply ({error})',
    sentUnchecked: '{message}; it was sent unchecked.',
    notSent: '{message}. Try again, or ask an admin.',
    answered: 'replylint answered {status}: {detail}',
    timedOut: 'no answer within {ms} ms',
    unreachable: 'the service could not be reached',
    unexpected: 'an answer the app does not understand',
  },
  it: {
    status: 'replylint controlla le risposte pubbliche prima che vengano inviate.',
    badServiceUrl: "L'URL del servizio nelle impostazioni dell'app non è un indirizzo web valido.",
    findingsTitle: 'replylint:',
    findingsTitleScore: 'replylint (punteggio {score}/100):',
    couldNotCheck: 'replylint non è riuscito a controllare questa risposta ({error})',
    sentUnchecked: '{message}; è stata inviata senza controllo.',
    notSent: '{message}. Riprova oppure rivolgiti a un amministratore.',
    answered: 'replylint ha risposto {status}: {detail}',
    timedOut: 'nessuna risposta entro {ms} ms',
    unreachable: 'il servizio non è raggiungibile',
    unexpected: "una risposta che l'app non sa leggere",
  },
};

export const DEFAULT_LOCALE = 'en';

// Zendesk locales look like 'it', 'it-CH', 'en-US', 'en-gb': the language part decides.
export function pickLocale(locale) {
  const language = String(locale || '').toLowerCase().split(/[-_]/)[0];
  return Object.prototype.hasOwnProperty.call(MESSAGES, language) ? language : DEFAULT_LOCALE;
}

// The message `key` in `locale` (English when missing), with {name} filled from `values`.
export function t(locale, key, values = {}) {
  const table = MESSAGES[pickLocale(locale)];
  const template = key in table ? table[key] : MESSAGES[DEFAULT_LOCALE][key];
  if (template === undefined) throw new Error(`no message ${key}`);
  return template.replace(/\{(\w+)\}/g, (whole, name) => (name in values ? String(values[name]) : whole));
}
