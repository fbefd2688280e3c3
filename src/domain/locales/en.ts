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
  perPeriod: '{text} (every {unit, select, day {day} week {week} month {month} other {period}})',
  withinDays: '{text} within {days, plural, one {# day} other {# days}}',
  between: '{text} between {start} and {end}',
  inPeriod: '{text} in {unit, select, day {a day} week {a week} month {a month} other {the period}}',
  targetPercent:
    'Reach {percent, number}% of your {unit, select, day {daily} week {weekly} month {monthly} other {period}} target in “{metric}”',
  beatPrevious: 'Beat your total of the previous {unit, select, day {day} week {week} month {month} other {period}} in “{metric}”',
  streak:
    '{unit, select, week {{n, plural, one {Keep “{streak}” going for # week} other {Keep “{streak}” going for # weeks}}} month {{n, plural, one {Keep “{streak}” going for # month} other {Keep “{streak}” going for # months}}} other {{n, plural, one {Keep “{streak}” going for # day} other {Keep “{streak}” going for # days}}}}',
  anniversary: '{n, plural, one {Be a member for # year} other {Be a member for # years}}',
  orgScope: '{text} across all communities',
  eventFilter: '{text} ({filters})',
  shareAchievement: 'I unlocked “{name}”!',
  shareLevel: 'I reached {level} in {system}!',
  shareStreak:
    '{unit, select, week {{n, plural, one {# week} other {# weeks}}} month {{n, plural, one {# month} other {# months}}} other {{n, plural, one {# day} other {# days}}}} in a row!',
  emailUnlockSubject: 'You unlocked “{name}”',
  emailUnlockHeading: 'Congratulations, you unlocked “{name}”!',
  emailUnsubscribe: 'Unsubscribe from these emails',
};
