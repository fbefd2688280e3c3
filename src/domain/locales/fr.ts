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
  perPeriod: '{text} ({unit, select, day {chaque jour} week {chaque semaine} month {chaque mois} other {chaque période}})',
  withinDays: '{text} en {days, plural, one {# jour} other {# jours}}',
  between: '{text} entre le {start} et le {end}',
  inPeriod: '{text} {unit, select, day {en une journée} week {en une semaine} month {en un mois} other {sur la période}}',
  targetPercent:
    'Atteignez {percent, number} % de votre objectif {unit, select, day {quotidien} week {hebdomadaire} month {mensuel} other {de la période}} en « {metric} »',
  beatPrevious:
    'Battez votre total {unit, select, day {de la veille} week {de la semaine précédente} month {du mois précédent} other {de la période précédente}} en « {metric} »',
  streak:
    '{unit, select, week {{n, plural, one {Maintenez « {streak} » pendant # semaine} other {Maintenez « {streak} » pendant # semaines}}} month {{n, plural, one {Maintenez « {streak} » pendant # mois} other {Maintenez « {streak} » pendant # mois}}} other {{n, plural, one {Maintenez « {streak} » pendant # jour} other {Maintenez « {streak} » pendant # jours}}}}',
  anniversary: '{n, plural, one {Soyez membre depuis # an} other {Soyez membre depuis # ans}}',
  orgScope: '{text} dans toutes les communautés',
  eventFilter: '{text} ({filters})',
  shareAchievement: 'J’ai débloqué « {name} » !',
  shareLevel: 'J’ai atteint {level} dans {system} !',
  shareStreak:
    '{unit, select, week {{n, plural, one {# semaine} other {# semaines}}} month {{n, plural, one {# mois} other {# mois}}} other {{n, plural, one {# jour} other {# jours}}}} d’affilée !',
  emailUnlockSubject: 'Vous avez débloqué « {name} »',
  emailUnlockHeading: 'Félicitations, vous avez débloqué « {name} » !',
  emailUnsubscribe: 'Se désabonner de ces e-mails',
};
