import type { Messages } from './messages.js';

export const de: Messages = {
  quantity: '{n, plural, one {# {one}} other {# {other}}}',
  withVerb: '{verb} {quantity}',
  sumPlain: 'Erreiche insgesamt {n, number} bei „{metric}“',
  countPlain: '{n, plural, one {Erfasse „{metric}“ einmal} other {Erfasse „{metric}“ #-mal}}',
  api: 'Wird von der App vergeben',
  compositeAll: 'Verdiene {list}',
  compositeSome: 'Verdiene {min, number} von {list}',
  quoted: '„{name}“',
  tierStep: '{n, number} ({tier})',
  repeatable: '{text} (wiederholbar)',
  orgScope: '{text} in allen Communities',
  eventFilter: '{text} ({filters})',
};
