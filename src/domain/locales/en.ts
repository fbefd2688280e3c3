import type { Messages } from './messages.js';

export const en: Messages = {
  quantity: '{n, plural, one {# {one}} other {# {other}}}',
  withVerb: '{verb} {quantity}',
  sumPlain: 'Reach a total of {n, number} in “{metric}”',
  countPlain: '{n, plural, one {Record “{metric}” once} other {Record “{metric}” # times}}',
  api: 'Awarded by the app',
  compositeAll: 'Earn {list}',
  compositeSome: 'Earn any {min, number} of {list}',
  quoted: "''{name}''", // ICU: '' is a literal apostrophe
  tierStep: '{n, number} ({tier})',
  repeatable: '{text} (repeatable)',
  orgScope: '{text} across all communities',
  eventFilter: '{text} ({filters})',
};
