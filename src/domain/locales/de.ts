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
  perPeriod: '{text} ({unit, select, day {jeden Tag} week {jede Woche} month {jeden Monat} other {jeden Zeitraum}})',
  withinDays: '{text} innerhalb von {days, plural, one {# Tag} other {# Tagen}}',
  between: '{text} zwischen {start} und {end}',
  inPeriod: '{text} {unit, select, day {an einem Tag} week {in einer Woche} month {in einem Monat} other {im Zeitraum}}',
  targetPercent:
    'Erreiche {percent, number} % deines {unit, select, day {Tages} week {Wochen} month {Monats} other {Zeitraum}}ziels bei „{metric}“',
  beatPrevious:
    'Übertriff dein Ergebnis {unit, select, day {des Vortags} week {der Vorwoche} month {des Vormonats} other {des vorigen Zeitraums}} bei „{metric}“',
  streak:
    '{unit, select, week {{n, plural, one {Halte „{streak}“ # Woche lang} other {Halte „{streak}“ # Wochen lang}}} month {{n, plural, one {Halte „{streak}“ # Monat lang} other {Halte „{streak}“ # Monate lang}}} other {{n, plural, one {Halte „{streak}“ # Tag lang} other {Halte „{streak}“ # Tage lang}}}}',
  anniversary: '{n, plural, one {Sei seit # Jahr dabei} other {Sei seit # Jahren dabei}}',
  orgScope: '{text} in allen Communities',
  eventFilter: '{text} ({filters})',
  shareAchievement: 'Ich habe „{name}“ freigeschaltet!',
  shareLevel: 'Ich habe {level} in {system} erreicht!',
  shareStreak:
    '{unit, select, week {{n, plural, one {# Woche} other {# Wochen}}} month {{n, plural, one {# Monat} other {# Monate}}} other {{n, plural, one {# Tag} other {# Tage}}}} in Folge!',
  emailUnlockSubject: 'Du hast „{name}“ freigeschaltet',
  emailUnlockHeading: 'Glückwunsch, du hast „{name}“ freigeschaltet!',
  emailUnsubscribe: 'Diese E-Mails abbestellen',
};
