import type { Messages } from './messages.js';

export const fr: Messages = {
  quantity: '{n, plural, one {# {one}} other {# {other}}}',
  withVerb: '{verb} {quantity}',
  sumPlain: 'Atteignez un total de {n, number} en « {metric} »',
  countPlain: '{n, plural, one {Enregistrez « {metric} » une fois} other {Enregistrez « {metric} » # fois}}',
  api: 'Attribué par l’application',
  compositeAll: 'Obtenez {list}',
  compositeSome: 'Obtenez {min, number} parmi {list}',
  quoted: '« {name} »',
  tierStep: '{n, number} ({tier})',
  repeatable: '{text} (répétable)',
  orgScope: '{text} dans toutes les communautés',
  eventFilter: '{text} ({filters})',
};
