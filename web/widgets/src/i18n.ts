/** Every string the widgets show, in English, German and French; numbers, percentages and dates through Intl. */

const en = {
  loading: 'Loading…',
  error: 'This could not be loaded.',
  retry: 'Try again',
  expired: 'Your session has expired. It will be renewed shortly.',
  noUser: 'No member to show: the widget token is missing.',
  notFound: 'Not found.',
  achievements: 'Achievements',
  empty: 'No achievements yet',
  featured: 'Featured',
  unlocked: 'Unlocked',
  inProgress: 'In progress',
  pastEvents: 'Past events',
  otherCategory: 'General',
  rarity: '{pct} of members',
  progressOf: '{current} of {target}',
  progressTowards: 'Progress towards {name}',
  nextTier: 'Next: {tier}',
  unlockedOn: 'Unlocked {date}',
  timesCompleted: 'Completed {count} times',
  notStarted: 'Not started',
  missed: 'Not earned',
  statusActive: 'Can be earned',
  statusLocked: 'No longer available',
  status: 'Status',
  howTo: 'How to earn it',
  tiers: 'Tiers',
  held: 'held',
  notHeld: 'not yet',
  points: 'points',
  balance: 'Balance',
  level: 'Level',
  noLevel: 'No level yet',
  noPoints: 'No points yet',
  toNextLevel: '{points} points to {level}',
  topLevel: 'Highest level reached',
  levelProgress: 'Progress to {level}',
  streak: 'Streak',
  'unit.daily.one': 'day',
  'unit.daily.other': 'days',
  'unit.weekly.one': 'week',
  'unit.weekly.other': 'weeks',
  'unit.monthly.one': 'month',
  'unit.monthly.other': 'months',
  freezes: 'Freezes: {count} of {max}',
  freezesOnly: 'Freezes: {count}',
  expires: 'Keep it going by {date}',
  recentPeriods: 'Recent periods',
  extended: 'extended',
  frozen: 'kept by a freeze',
  missedPeriod: 'missed',
  pending: 'not yet',
  leaderboard: 'Leaderboard',
  rank: 'Rank',
  member: 'Member',
  score: 'Score',
  you: 'You',
  yourRank: 'Your rank: {rank}',
  notRanked: 'You are not ranked yet',
  anonymous: 'Member',
  noRankings: 'No rankings yet',
  close: 'Close',
  share: 'Share',
  linkCopied: 'Link copied',
  copyFailed: 'Could not copy the link',
  mute: 'Mute sound',
  rewards: 'Rewards',
  pointsReward: '+{amount} {system}',
  'kind.achievement': 'Achievement unlocked',
  'kind.level': 'Level reached',
  'kind.streak': 'Streak milestone',
};

type Key = keyof typeof en;
type Table = Record<Key, string>;

const de: Table = {
  loading: 'Wird geladen…',
  error: 'Das konnte nicht geladen werden.',
  retry: 'Erneut versuchen',
  expired: 'Deine Sitzung ist abgelaufen. Sie wird gleich erneuert.',
  noUser: 'Kein Mitglied: Das Widget-Token fehlt.',
  notFound: 'Nicht gefunden.',
  achievements: 'Erfolge',
  empty: 'Noch keine Erfolge',
  featured: 'Hervorgehoben',
  unlocked: 'Freigeschaltet',
  inProgress: 'In Arbeit',
  pastEvents: 'Vergangene Aktionen',
  otherCategory: 'Allgemein',
  rarity: '{pct} der Mitglieder',
  progressOf: '{current} von {target}',
  progressTowards: 'Fortschritt bei {name}',
  nextTier: 'Nächste Stufe: {tier}',
  unlockedOn: 'Freigeschaltet am {date}',
  timesCompleted: '{count}-mal geschafft',
  notStarted: 'Noch nicht begonnen',
  missed: 'Nicht erreicht',
  statusActive: 'Kann erreicht werden',
  statusLocked: 'Nicht mehr verfügbar',
  status: 'Status',
  howTo: 'So erreichst du ihn',
  tiers: 'Stufen',
  held: 'erreicht',
  notHeld: 'noch nicht',
  points: 'Punkte',
  balance: 'Kontostand',
  level: 'Level',
  noLevel: 'Noch kein Level',
  noPoints: 'Noch keine Punkte',
  toNextLevel: 'Noch {points} Punkte bis {level}',
  topLevel: 'Höchstes Level erreicht',
  levelProgress: 'Fortschritt bis {level}',
  streak: 'Serie',
  'unit.daily.one': 'Tag',
  'unit.daily.other': 'Tage',
  'unit.weekly.one': 'Woche',
  'unit.weekly.other': 'Wochen',
  'unit.monthly.one': 'Monat',
  'unit.monthly.other': 'Monate',
  freezes: 'Joker: {count} von {max}',
  freezesOnly: 'Joker: {count}',
  expires: 'Weitermachen bis {date}',
  recentPeriods: 'Letzte Zeiträume',
  extended: 'verlängert',
  frozen: 'durch einen Joker gehalten',
  missedPeriod: 'verpasst',
  pending: 'noch offen',
  leaderboard: 'Rangliste',
  rank: 'Platz',
  member: 'Mitglied',
  score: 'Wert',
  you: 'Du',
  yourRank: 'Dein Platz: {rank}',
  notRanked: 'Du bist noch nicht platziert',
  anonymous: 'Mitglied',
  noRankings: 'Noch keine Platzierungen',
  close: 'Schließen',
  share: 'Teilen',
  linkCopied: 'Link kopiert',
  copyFailed: 'Der Link konnte nicht kopiert werden',
  mute: 'Ton stummschalten',
  rewards: 'Belohnungen',
  pointsReward: '+{amount} {system}',
  'kind.achievement': 'Erfolg freigeschaltet',
  'kind.level': 'Level erreicht',
  'kind.streak': 'Serien-Meilenstein',
};

const fr: Table = {
  loading: 'Chargement…',
  error: 'Impossible de charger ce contenu.',
  retry: 'Réessayer',
  expired: 'Votre session a expiré. Elle va être renouvelée.',
  noUser: 'Aucun membre à afficher : il manque le jeton de widget.',
  notFound: 'Introuvable.',
  achievements: 'Succès',
  empty: 'Aucun succès pour le moment',
  featured: 'À la une',
  unlocked: 'Débloqués',
  inProgress: 'En cours',
  pastEvents: 'Événements passés',
  otherCategory: 'Général',
  rarity: '{pct} des membres',
  progressOf: '{current} sur {target}',
  progressTowards: 'Progression vers {name}',
  nextTier: 'Prochain palier : {tier}',
  unlockedOn: 'Débloqué le {date}',
  timesCompleted: 'Réussi {count} fois',
  notStarted: 'Pas commencé',
  missed: 'Non obtenu',
  statusActive: 'Peut être obtenu',
  statusLocked: 'Plus disponible',
  status: 'Statut',
  howTo: 'Comment l’obtenir',
  tiers: 'Paliers',
  held: 'obtenu',
  notHeld: 'pas encore',
  points: 'points',
  balance: 'Solde',
  level: 'Niveau',
  noLevel: 'Aucun niveau pour le moment',
  noPoints: 'Aucun point pour le moment',
  toNextLevel: 'Encore {points} points jusqu’à {level}',
  topLevel: 'Niveau le plus haut atteint',
  levelProgress: 'Progression vers {level}',
  streak: 'Série',
  'unit.daily.one': 'jour',
  'unit.daily.other': 'jours',
  'unit.weekly.one': 'semaine',
  'unit.weekly.other': 'semaines',
  'unit.monthly.one': 'mois',
  'unit.monthly.other': 'mois',
  freezes: 'Gels : {count} sur {max}',
  freezesOnly: 'Gels : {count}',
  expires: 'À prolonger avant le {date}',
  recentPeriods: 'Périodes récentes',
  extended: 'prolongée',
  frozen: 'maintenue par un gel',
  missedPeriod: 'manquée',
  pending: 'pas encore',
  leaderboard: 'Classement',
  rank: 'Rang',
  member: 'Membre',
  score: 'Score',
  you: 'Vous',
  yourRank: 'Votre rang : {rank}',
  notRanked: 'Vous n’êtes pas encore classé',
  anonymous: 'Membre',
  noRankings: 'Aucun classement pour le moment',
  close: 'Fermer',
  share: 'Partager',
  linkCopied: 'Lien copié',
  copyFailed: 'Impossible de copier le lien',
  mute: 'Couper le son',
  rewards: 'Récompenses',
  pointsReward: '+{amount} {system}',
  'kind.achievement': 'Succès débloqué',
  'kind.level': 'Niveau atteint',
  'kind.streak': 'Étape de série',
};

const TABLES: Record<string, Table> = { en, de, fr };

export type Lang = 'en' | 'de' | 'fr';

/** The supported language closest to a BCP 47 tag ("de-CH" → de); English otherwise. */
export function supportedLang(tag: string | null | undefined): Lang | null {
  const base = tag?.trim().toLowerCase().split(/[-_]/)[0];
  return base && base in TABLES ? (base as Lang) : null;
}

export interface I18n {
  lang: Lang;
  t(key: Key, vars?: Record<string, string | number>): string;
  number(n: number): string;
  percent(value: number): string;
  date(iso: string, options?: Intl.DateTimeFormatOptions): string;
  plural(n: number): 'one' | 'other';
}

const cache = new Map<Lang, I18n>();

export function i18n(lang: Lang): I18n {
  const found = cache.get(lang);
  if (found) return found;
  const table = TABLES[lang] ?? en;
  const numbers = new Intl.NumberFormat(lang);
  const percents = new Intl.NumberFormat(lang, { style: 'percent', maximumFractionDigits: 1 });
  const rules = new Intl.PluralRules(lang);
  const made: I18n = {
    lang,
    t: (key, vars) => table[key].replace(/\{(\w+)\}/g, (whole, name: string) => (vars && name in vars ? String(vars[name]) : whole)),
    number: (n) => numbers.format(n),
    percent: (value) => percents.format(value / 100),
    date: (iso, options = { dateStyle: 'medium' }) => {
      // A bare YYYY-MM-DD is a calendar day: shown as such, whatever the viewer's time zone.
      const day = /^\d{4}-\d{2}-\d{2}$/.test(iso);
      const date = new Date(day ? `${iso}T00:00:00Z` : iso);
      if (Number.isNaN(date.getTime())) return iso;
      return new Intl.DateTimeFormat(lang, day ? { ...options, timeZone: 'UTC' } : options).format(date);
    },
    plural: (n) => (rules.select(n) === 'one' ? 'one' : 'other'),
  };
  cache.set(lang, made);
  return made;
}
