import {
  ActionIcon,
  Alert,
  Anchor,
  Autocomplete,
  Badge,
  Button,
  Checkbox,
  Grid,
  Group,
  List,
  Loader,
  MultiSelect,
  NumberInput,
  Paper,
  SegmentedControl,
  Select,
  Stack,
  Switch,
  Tabs,
  TagsInput,
  Text,
  Textarea,
  TextInput,
  Title,
} from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { notifications } from '@mantine/notifications';
import { IconAlertTriangle, IconArrowLeft, IconPlus, IconTrash } from '@tabler/icons-react';
import { useEffect, useMemo, useRef, useState } from 'react';
import {
  type Achievement,
  type AchievementChange,
  type AchievementPreview,
  ApiError,
  api,
  enc,
  type Metric,
  type PointsSystem,
  type Streak,
} from '../api';
import { ErrorState, linkProps, navigate, PageLoader, useApiData } from '../lib';
import {
  type Draft,
  DraftProblem,
  draftFrom,
  emptyDraft,
  LANGS,
  type Lang,
  type Num,
  newTier,
  slug,
  type TierDraft,
  toBody,
} from './form-model';
import { BadgeUpload, PairsEditor, RewardsEditor, Section } from './form-parts';

const numberValue = (v: string | number): Num => (v === '' ? '' : Number(v));

export function AchievementForm({ editKey }: { editKey?: string }) {
  const existing = useApiData(
    () => (editKey ? api.get<Achievement>(`/admin/v1/achievements/${enc(editKey)}`) : Promise.resolve(null)),
    [editKey],
  );
  if (existing.error) return <ErrorState error={existing.error} onRetry={existing.reload} />;
  if (existing.loading && !existing.data) return <PageLoader label="Loading the achievement…" />;
  return <FormBody initial={existing.data ? draftFrom(existing.data) : emptyDraft()} editing={existing.data ?? null} />;
}

function FormBody({ initial, editing }: { initial: Draft; editing: Achievement | null }) {
  const [draft, setDraft] = useState<Draft>(initial);
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [formError, setFormError] = useState<string | null>(null);
  const [pending, setPending] = useState<null | 'draft' | 'active' | 'save'>(null);
  const saving = useRef(false);
  const [preview, setPreview] = useState<AchievementPreview | null>(null);
  const [previewing, setPreviewing] = useState(false);

  const metrics = useApiData(() => api.get<Metric[]>('/admin/v1/metrics'), []);
  const systems = useApiData(() => api.get<PointsSystem[]>('/admin/v1/points-systems'), []);
  const streaks = useApiData(() => api.get<Streak[]>('/admin/v1/streaks'), []);
  const others = useApiData(() => api.get<Achievement[]>('/admin/v1/achievements'), []);

  const set = <K extends keyof Draft>(field: K, value: Draft[K]) => setDraft((d) => ({ ...d, [field]: value }));
  const err = (field: string) => errors[field];
  const clearError = (field: string) =>
    setErrors((e) => (e[field] ? Object.fromEntries(Object.entries(e).filter(([k]) => k !== field)) : e));

  // The condition, worded by the server as users will read it, follows every change.
  const incomplete =
    draft.criteriaType === 'metric' && !draft.metric.trim()
      ? 'Choose a metric to see how the condition reads.'
      : draft.criteriaType === 'composite' && draft.requires.length === 0
        ? 'Choose the achievements it requires.'
        : null;
  const previewBody = useMemo(() => {
    if (incomplete) return null;
    try {
      return JSON.stringify({ ...toBody(draft, { forPreview: true }), ...(editing ? { key: editing.key } : {}) });
    } catch {
      return null;
    }
  }, [draft, editing, incomplete]);
  const [debouncedBody] = useDebouncedValue(previewBody, 300);
  const generation = useRef(0);
  useEffect(() => {
    if (!debouncedBody) return;
    const mine = ++generation.current;
    setPreviewing(true);
    api
      .post<AchievementPreview>('/admin/v1/achievements/preview', JSON.parse(debouncedBody))
      .then((p) => mine === generation.current && setPreview(p))
      .catch(() => undefined)
      .finally(() => mine === generation.current && setPreviewing(false));
  }, [debouncedBody]);

  const systemOptions = (systems.data ?? []).filter((s) => s.status === 'active').map((s) => ({ value: s.key, label: s.name }));
  const metricOptions = (metrics.data ?? []).filter((m) => m.status === 'active').map((m) => m.key);
  const streakOptions = [
    { value: '', label: 'The primary streak' },
    ...(streaks.data ?? []).filter((s) => s.status === 'active').map((s) => ({ value: s.key, label: s.name })),
  ];
  const achievementOptions = (others.data ?? [])
    .filter((a) => a.key !== editing?.key && a.status !== 'archived')
    .map((a) => ({ value: a.key, label: a.name }));

  const tiered =
    (draft.criteriaType === 'metric' && draft.goal === 'tiers') || (draft.criteriaType === 'streak' && draft.streakGoal === 'tiers');

  const save = async (status: 'draft' | 'active' | 'save') => {
    if (saving.current) return;
    const problems: Record<string, string> = {};
    if (!draft.name.trim()) problems.name = 'Give the achievement a name';
    if (!draft.description.trim()) problems.description = 'Describe it for your users';
    let body: Record<string, unknown> | null = null;
    try {
      body = toBody(draft);
    } catch (e) {
      if (e instanceof DraftProblem) problems[e.field] = e.message;
      else throw e;
    }
    setFormError(null);
    if (Object.keys(problems).length > 0 || !body) {
      setErrors(problems);
      focusField(Object.keys(problems)[0]);
      return;
    }
    saving.current = true;
    setPending(status);
    setErrors({});
    try {
      const change = editing
        ? await api.patch<AchievementChange>(`/admin/v1/achievements/${enc(editing.key)}`, body)
        : await api.post<AchievementChange>('/admin/v1/achievements', { ...body, status });
      for (const w of change.warnings) {
        notifications.show({
          color: 'yellow',
          title: w.code === 'duplicate_name' ? 'Saved, but the name is taken' : 'Saved with a warning',
          message: w.message,
          autoClose: 8000,
        });
      }
      notifications.show({
        color: 'teal',
        title: editing ? 'Changes saved' : status === 'active' ? 'Achievement published' : 'Draft saved',
        message: change.backfill?.granted
          ? `${change.backfill.granted} unlocks were granted silently to users who already qualified.`
          : change.achievement.name,
      });
      navigate(`/achievements/${enc(change.achievement.key)}`);
    } catch (e) {
      if (e instanceof ApiError && e.field) {
        setErrors({ [e.field]: e.message });
        if (!focusField(e.field)) setFormError(e.message);
      } else {
        setFormError(e instanceof Error ? e.message : String(e));
      }
    } finally {
      saving.current = false;
      setPending(null);
    }
  };

  const updateTier = (i: number, patch: Partial<TierDraft>) =>
    set(
      'tiers',
      draft.tiers.map((t, j) => {
        if (j !== i) return t;
        const next = { ...t, ...patch };
        if (patch.name !== undefined && !t.keyTouched) next.key = slug(patch.name);
        return next;
      }),
    );

  const unplacedError = Object.entries(errors).find(
    ([f]) => !f.includes('rewards') && !document.querySelector(`[data-field="${CSS.escape(f)}"]`),
  );

  return (
    <form
      noValidate
      onSubmit={(e) => {
        e.preventDefault();
        void save(editing ? 'save' : 'draft');
      }}
    >
      <Stack gap="lg">
        <Group justify="space-between" align="flex-end">
          <div>
            <Anchor {...linkProps(editing ? `/achievements/${enc(editing.key)}` : '/')} size="sm">
              <Group gap={4}>
                <IconArrowLeft size={14} /> {editing ? editing.name : 'Achievements'}
              </Group>
            </Anchor>
            <Title order={2}>{editing ? `Edit “${editing.name}”` : 'New achievement'}</Title>
          </div>
        </Group>

        {(formError || unplacedError) && (
          <Alert color="red" variant="light" icon={<IconAlertTriangle size={18} />} title="It was not saved" role="alert">
            {formError ?? `${unplacedError?.[0]}: ${unplacedError?.[1]}`}
          </Alert>
        )}

        <Grid gutter="lg">
          <Grid.Col span={{ base: 12, md: 8 }}>
            <Stack gap="lg">
              <Section title="Basics" description="What users see." id="basics">
                <div data-field="name">
                  <TextInput
                    label="Name"
                    required
                    placeholder="e.g. Prolific writer"
                    value={draft.name}
                    onChange={(e) => {
                      set('name', e.currentTarget.value);
                      clearError('name');
                    }}
                    error={err('name')}
                    maxLength={200}
                  />
                </div>
                <div data-field="description">
                  <Textarea
                    label="Description"
                    required
                    placeholder="Tell users what it is about"
                    value={draft.description}
                    onChange={(e) => {
                      set('description', e.currentTarget.value);
                      clearError('description');
                    }}
                    error={err('description')}
                    autosize
                    minRows={2}
                    maxLength={2000}
                  />
                </div>
                <div data-field="badgeUrl">
                  <BadgeUpload url={draft.badgeUrl} onChange={(u) => set('badgeUrl', u)} error={err('badgeUrl')} />
                </div>
                <Group grow align="flex-start">
                  <div data-field="category">
                    <TextInput
                      label="Category"
                      placeholder="e.g. Writing"
                      value={draft.category}
                      onChange={(e) => set('category', e.currentTarget.value)}
                      error={err('category')}
                    />
                  </div>
                  <div data-field="tags">
                    <TagsInput
                      label="Tags"
                      placeholder="Type and press Enter"
                      value={draft.tags}
                      onChange={(v) => set('tags', v)}
                      error={err('tags')}
                    />
                  </div>
                </Group>
                <Group grow align="flex-start">
                  <div data-field="key">
                    <TextInput
                      label="Key"
                      description={editing ? 'The API handle; it never changes.' : 'The API handle. Leave empty to make one from the name.'}
                      placeholder={slug(draft.name) || 'made-from-the-name'}
                      value={draft.key}
                      onChange={(e) => set('key', e.currentTarget.value)}
                      disabled={!!editing}
                      error={err('key')}
                      styles={{ input: { fontFamily: 'var(--mantine-font-family-monospace)' } }}
                    />
                  </div>
                  <div data-field="scope">
                    <Stack gap={4}>
                      <Text size="sm" fw={500} id="scope-label">
                        Scope
                      </Text>
                      <SegmentedControl
                        aria-labelledby="scope-label"
                        data={[
                          { value: 'community', label: 'Community' },
                          { value: 'org', label: 'Organisation' },
                        ]}
                        fullWidth
                        value={draft.scope}
                        onChange={(v) => set('scope', v as Draft['scope'])}
                      />
                    </Stack>
                  </div>
                </Group>
                <Switch
                  label="Featured: show it prominently to users"
                  checked={draft.featured}
                  onChange={(e) => set('featured', e.currentTarget.checked)}
                />
              </Section>

              <Section title="Condition" description="What a user has to do to unlock it." id="criteria">
                <div data-field="criteria.type">
                  <Select
                    label="Criterion"
                    allowDeselect={false}
                    data={[
                      { value: 'metric', label: 'Metric: a total or count of events reaches a goal' },
                      { value: 'streak', label: 'Streak: keep a streak going' },
                      { value: 'composite', label: 'Composite: earn other achievements' },
                      { value: 'anniversary', label: 'Anniversary: years since joining' },
                      { value: 'api', label: 'API: your app completes it' },
                    ]}
                    value={draft.criteriaType}
                    onChange={(v) => {
                      set('criteriaType', (v as Draft['criteriaType']) ?? 'metric');
                      setErrors({});
                    }}
                    error={err('criteria.type') ?? err('criteria')}
                  />
                </div>

                {draft.criteriaType === 'metric' && (
                  <Stack gap="md">
                    <Group grow align="flex-start">
                      <div data-field="criteria.metric">
                        <Autocomplete
                          label="Metric"
                          description="Pick one, or type a new key: it is created on save."
                          placeholder="e.g. words"
                          data={metricOptions}
                          value={draft.metric}
                          onChange={(v) => {
                            set('metric', v);
                            clearError('criteria.metric');
                          }}
                          error={err('criteria.metric')}
                        />
                      </div>
                      <div data-field="criteria.measure">
                        <Stack gap={4}>
                          <Text size="sm" fw={500} id="measure-label">
                            Measure
                          </Text>
                          <SegmentedControl
                            aria-labelledby="measure-label"
                            data={[
                              { value: 'sum', label: 'Sum of values' },
                              { value: 'count', label: 'Count of events' },
                            ]}
                            fullWidth
                            value={draft.measure}
                            onChange={(v) => set('measure', v as Draft['measure'])}
                          />
                        </Stack>
                      </div>
                    </Group>
                    <Group grow align="flex-start">
                      <Select
                        label="Goal"
                        allowDeselect={false}
                        data={[
                          { value: 'threshold', label: 'Reach a value' },
                          { value: 'tiers', label: 'Tiers (bronze, silver, gold…)' },
                          { value: 'targetPercent', label: "A share of the user's own target" },
                          { value: 'beatPrevious', label: 'Beat the previous period' },
                        ]}
                        value={draft.goal}
                        onChange={(v) => {
                          const goal = (v as Draft['goal']) ?? 'threshold';
                          setDraft((d) => ({
                            ...d,
                            goal,
                            tiers: goal === 'tiers' && d.tiers.length === 0 ? [newTier(0), newTier(1), newTier(2)] : d.tiers,
                          }));
                        }}
                      />
                      {draft.goal === 'threshold' && (
                        <div data-field="criteria.threshold">
                          <NumberInput
                            label="Threshold"
                            placeholder="e.g. 50"
                            value={draft.threshold}
                            onChange={(v) => {
                              set('threshold', numberValue(v));
                              clearError('criteria.threshold');
                            }}
                            error={err('criteria.threshold')}
                            thousandSeparator=","
                          />
                        </div>
                      )}
                      {draft.goal === 'targetPercent' && (
                        <div data-field="criteria.targetPercent">
                          <NumberInput
                            label="Percent of target"
                            suffix=" %"
                            value={draft.targetPercent}
                            onChange={(v) => set('targetPercent', numberValue(v))}
                            error={err('criteria.targetPercent')}
                          />
                        </div>
                      )}
                    </Group>
                    <Group grow align="flex-start">
                      <div data-field="criteria.window">
                        <Select
                          label="Time frame"
                          allowDeselect={false}
                          data={[
                            { value: 'lifetime', label: 'All time' },
                            { value: 'rolling', label: 'Within the last N days (rolling)' },
                            { value: 'fixed', label: 'Between two dates (event)' },
                            { value: 'period', label: 'Within a day, week, month or custom period' },
                          ]}
                          value={draft.time}
                          onChange={(v) => set('time', (v as Draft['time']) ?? 'lifetime')}
                          error={err('criteria.window') ?? err('criteria.period')}
                        />
                      </div>
                      {draft.time === 'rolling' && (
                        <div data-field="criteria.window.days">
                          <NumberInput
                            label="Days"
                            min={1}
                            allowDecimal={false}
                            value={draft.windowDays}
                            onChange={(v) => set('windowDays', numberValue(v))}
                            error={err('criteria.window.days')}
                          />
                        </div>
                      )}
                      {draft.time === 'period' && (
                        <div data-field="criteria.period.unit">
                          <Select
                            label="Period"
                            allowDeselect={false}
                            data={[
                              { value: 'day', label: 'Day' },
                              { value: 'week', label: 'Week' },
                              { value: 'month', label: 'Month' },
                              { value: 'custom', label: 'Custom dates' },
                            ]}
                            value={draft.periodUnit}
                            onChange={(v) => set('periodUnit', (v as Draft['periodUnit']) ?? 'week')}
                            error={err('criteria.period.unit')}
                          />
                        </div>
                      )}
                    </Group>
                    {draft.time === 'fixed' && (
                      <Group grow align="flex-start">
                        <div data-field="criteria.window.start">
                          <TextInput
                            type="datetime-local"
                            label="Opens (your local time)"
                            value={draft.windowStart}
                            onChange={(e) => set('windowStart', e.currentTarget.value)}
                            error={err('criteria.window.start')}
                          />
                        </div>
                        <div data-field="criteria.window.end">
                          <TextInput
                            type="datetime-local"
                            label="Closes"
                            value={draft.windowEnd}
                            onChange={(e) => set('windowEnd', e.currentTarget.value)}
                            error={err('criteria.window.end')}
                          />
                        </div>
                      </Group>
                    )}
                    {draft.time === 'period' && draft.periodUnit === 'custom' && (
                      <Group grow align="flex-end">
                        <div data-field="criteria.period.start">
                          <TextInput
                            type="date"
                            label="First day"
                            value={draft.periodStart}
                            onChange={(e) => set('periodStart', e.currentTarget.value)}
                            error={err('criteria.period.start')}
                          />
                        </div>
                        <div data-field="criteria.period.end">
                          <TextInput
                            type="date"
                            label="Last day"
                            value={draft.periodEnd}
                            onChange={(e) => set('periodEnd', e.currentTarget.value)}
                            error={err('criteria.period.end')}
                          />
                        </div>
                        <Checkbox
                          label="Repeat back to back"
                          checked={draft.periodRepeat}
                          onChange={(e) => set('periodRepeat', e.currentTarget.checked)}
                          mb={8}
                        />
                      </Group>
                    )}
                  </Stack>
                )}

                {draft.criteriaType === 'streak' && (
                  <Group grow align="flex-start">
                    <div data-field="criteria.streak">
                      <Select
                        label="Streak"
                        data={streakOptions}
                        value={draft.streak}
                        onChange={(v) => set('streak', v ?? '')}
                        error={err('criteria.streak')}
                        allowDeselect={false}
                      />
                    </div>
                    <Select
                      label="Goal"
                      allowDeselect={false}
                      data={[
                        { value: 'length', label: 'Reach a length' },
                        { value: 'tiers', label: 'Tiers of lengths' },
                      ]}
                      value={draft.streakGoal}
                      onChange={(v) => {
                        const goal = (v as Draft['streakGoal']) ?? 'length';
                        setDraft((d) => ({
                          ...d,
                          streakGoal: goal,
                          tiers: goal === 'tiers' && d.tiers.length === 0 ? [newTier(0), newTier(1), newTier(2)] : d.tiers,
                        }));
                      }}
                    />
                    {draft.streakGoal === 'length' && (
                      <div data-field="criteria.length">
                        <NumberInput
                          label="Length"
                          min={1}
                          allowDecimal={false}
                          value={draft.length}
                          onChange={(v) => set('length', numberValue(v))}
                          error={err('criteria.length')}
                        />
                      </div>
                    )}
                  </Group>
                )}

                {draft.criteriaType === 'anniversary' && (
                  <div data-field="criteria.years">
                    <NumberInput
                      label="Years since the user joined"
                      min={1}
                      allowDecimal={false}
                      value={draft.years}
                      onChange={(v) => set('years', numberValue(v))}
                      error={err('criteria.years')}
                      w={240}
                    />
                  </div>
                )}

                {draft.criteriaType === 'composite' && (
                  <Group grow align="flex-start">
                    <div data-field="criteria.requires">
                      <MultiSelect
                        label="Required achievements"
                        placeholder={achievementOptions.length ? 'Choose achievements' : 'Create other achievements first'}
                        data={achievementOptions}
                        value={draft.requires}
                        onChange={(v) => set('requires', v)}
                        searchable
                        error={err('criteria.requires') ?? Object.entries(errors).find(([f]) => f.startsWith('criteria.requires['))?.[1]}
                      />
                    </div>
                    <div data-field="criteria.min">
                      <NumberInput
                        label="How many of them"
                        description="Leave empty for all"
                        min={1}
                        allowDecimal={false}
                        value={draft.min}
                        onChange={(v) => set('min', numberValue(v))}
                        error={err('criteria.min')}
                      />
                    </div>
                  </Group>
                )}

                {draft.criteriaType === 'api' && (
                  <Text size="sm" c="dimmed">
                    Your app completes it for a user with <code>POST /v1/achievements/{'{key}'}/complete</code>.
                  </Text>
                )}
              </Section>

              {tiered && (
                <Section title="Tiers" description="Each tier unlocks and pays its own rewards; thresholds must increase." id="tiers">
                  {draft.tiers.map((t, i) => (
                    <Paper key={i} withBorder p="sm" radius="md" data-testid={`tier-${i}`}>
                      <Stack gap="sm">
                        <Group align="flex-start" gap="sm" wrap="wrap">
                          <div data-field={`tiers[${i}].name`}>
                            <TextInput
                              label={`Tier ${i + 1} name`}
                              value={t.name}
                              onChange={(e) => updateTier(i, { name: e.currentTarget.value })}
                              error={err(`tiers[${i}].name`)}
                              w={170}
                            />
                          </div>
                          <div data-field={`tiers[${i}].key`}>
                            <TextInput
                              label="Key"
                              value={t.key}
                              onChange={(e) => updateTier(i, { key: e.currentTarget.value, keyTouched: true })}
                              error={err(`tiers[${i}].key`)}
                              w={150}
                              styles={{ input: { fontFamily: 'var(--mantine-font-family-monospace)' } }}
                            />
                          </div>
                          <div data-field={`tiers[${i}].threshold`}>
                            <NumberInput
                              label={draft.criteriaType === 'streak' ? 'Length' : 'Threshold'}
                              value={t.threshold}
                              onChange={(v) => {
                                updateTier(i, { threshold: numberValue(v) });
                                clearError(`tiers[${i}].threshold`);
                              }}
                              error={err(`tiers[${i}].threshold`)}
                              w={150}
                              thousandSeparator=","
                            />
                          </div>
                          <ActionIcon
                            variant="subtle"
                            color="red"
                            mt={28}
                            onClick={() =>
                              set(
                                'tiers',
                                draft.tiers.filter((_, j) => j !== i),
                              )
                            }
                            aria-label={`Remove tier ${i + 1}`}
                          >
                            <IconTrash size={16} />
                          </ActionIcon>
                        </Group>
                        <RewardsEditor
                          label={`Tier ${i + 1} reward`}
                          rewards={t.rewards}
                          onChange={(rewards) => updateTier(i, { rewards })}
                          systems={systemOptions}
                          field={`tiers[${i}].rewards`}
                          errors={errors}
                        />
                        {preview?.tiers[i] && (
                          <Text size="xs" c="dimmed">
                            {preview.tiers[i]?.condition}
                          </Text>
                        )}
                      </Stack>
                    </Paper>
                  ))}
                  {err('tiers') && (
                    <Text c="red" size="sm" role="alert">
                      {err('tiers')}
                    </Text>
                  )}
                  <Group>
                    <Button
                      variant="light"
                      leftSection={<IconPlus size={14} />}
                      onClick={() => set('tiers', [...draft.tiers, newTier(draft.tiers.length)])}
                    >
                      Add tier
                    </Button>
                  </Group>
                </Section>
              )}

              {!tiered && (
                <Section title="Rewards" description="What an unlock pays." id="rewards">
                  <RewardsEditor
                    label="Reward"
                    rewards={draft.rewards}
                    onChange={(r) => set('rewards', r)}
                    systems={systemOptions}
                    field="rewards"
                    errors={errors}
                  />
                </Section>
              )}

              <Section title="Rules" description="How strictly it is judged, and what happens when it goes live." id="policies">
                <Group grow align="flex-start">
                  <div data-field="policies.match">
                    <Select
                      label="Match"
                      allowDeselect={false}
                      data={[
                        { value: 'reach', label: 'At or past the goal' },
                        { value: 'exact', label: 'Exactly at the goal' },
                      ]}
                      value={draft.match}
                      onChange={(v) => set('match', (v as Draft['match']) ?? 'reach')}
                      error={err('policies.match')}
                    />
                  </div>
                  <div data-field="policies.onActivation">
                    <Select
                      label="When it goes live"
                      allowDeselect={false}
                      data={[
                        { value: 'backfill', label: 'Grant to users who qualify' },
                        { value: 'from_activation', label: 'Count from then on' },
                      ]}
                      value={draft.onActivation}
                      onChange={(v) => set('onActivation', (v as Draft['onActivation']) ?? 'backfill')}
                      error={err('policies.onActivation')}
                    />
                  </div>
                  <div data-field="policies.repeat">
                    <Select
                      label="Repeat"
                      allowDeselect={false}
                      data={[
                        { value: 'once', label: 'Once' },
                        { value: 'per_period', label: 'Once per period' },
                        { value: 'unlimited', label: 'Every time' },
                      ]}
                      value={draft.repeat}
                      onChange={(v) => set('repeat', (v as Draft['repeat']) ?? 'once')}
                      error={err('policies.repeat')}
                    />
                  </div>
                </Group>
                {draft.criteriaType === 'metric' && (
                  <div data-field="filters.event">
                    <Text size="sm" fw={500}>
                      Only count events whose attributes match
                    </Text>
                    <PairsEditor
                      pairs={draft.eventFilters}
                      onChange={(p) => set('eventFilters', p)}
                      noun="Event"
                      field="filters.event"
                      errors={errors}
                    />
                  </div>
                )}
                <div data-field="filters.user">
                  <Text size="sm" fw={500}>
                    Only users whose attributes match can unlock it
                  </Text>
                  <PairsEditor
                    pairs={draft.userFilters}
                    onChange={(p) => set('userFilters', p)}
                    noun="User"
                    field="filters.user"
                    errors={errors}
                  />
                </div>
              </Section>

              <Section
                title="Translations"
                description="Shown to users whose app asks for that language; empty fields fall back to the basics."
                id="translations"
              >
                <Tabs defaultValue="de" keepMounted={false}>
                  <Tabs.List>
                    {LANGS.map((l) => (
                      <Tabs.Tab key={l.value} value={l.value}>
                        {l.label}
                      </Tabs.Tab>
                    ))}
                  </Tabs.List>
                  {LANGS.map((l) => (
                    <Tabs.Panel key={l.value} value={l.value} pt="sm">
                      <Stack gap="sm">
                        {(['name', 'description', 'unlockMessage'] as const).map((f) => (
                          <TextInput
                            key={f}
                            label={`${f === 'unlockMessage' ? 'Unlock message' : f.charAt(0).toUpperCase() + f.slice(1)} (${l.label})`}
                            value={draft.translations[l.value][f]}
                            onChange={(e) => {
                              const value = e.currentTarget.value;
                              setDraft((d) => ({
                                ...d,
                                translations: { ...d.translations, [l.value]: { ...d.translations[l.value as Lang], [f]: value } },
                              }));
                            }}
                            error={err(`translations.${l.value}.${f}`)}
                          />
                        ))}
                      </Stack>
                    </Tabs.Panel>
                  ))}
                </Tabs>
              </Section>

              <Section title="Celebration" description="The pop-up users see when they unlock it." id="celebration">
                <Switch
                  label="Show a celebration pop-up"
                  checked={draft.celebrationEnabled}
                  onChange={(e) => set('celebrationEnabled', e.currentTarget.checked)}
                />
                <div data-field="celebration.message">
                  <TextInput
                    label="Unlock message"
                    placeholder="e.g. You did it!"
                    value={draft.message}
                    onChange={(e) => set('message', e.currentTarget.value)}
                    error={err('celebration.message')}
                    maxLength={500}
                  />
                </div>
                <Group grow align="flex-start">
                  <div data-field="celebration.animation">
                    <Select
                      label="Animation"
                      placeholder="None"
                      clearable
                      data={['confetti', 'fireworks', 'sparkles', 'glow']}
                      value={draft.animation || null}
                      onChange={(v) => set('animation', v ?? '')}
                      error={err('celebration.animation')}
                    />
                  </div>
                  <div data-field="celebration.sound">
                    <TextInput
                      label="Sound (URL)"
                      placeholder="https://…/fanfare.mp3"
                      value={draft.sound}
                      onChange={(e) => set('sound', e.currentTarget.value)}
                      error={err('celebration.sound')}
                    />
                  </div>
                  <div data-field="celebration.durationSeconds">
                    <NumberInput
                      label="Pop-up duration"
                      suffix=" s"
                      min={1}
                      max={60}
                      value={draft.durationSeconds}
                      onChange={(v) => set('durationSeconds', numberValue(v))}
                      error={err('celebration.durationSeconds')}
                    />
                  </div>
                </Group>
                <Switch
                  label="Email the user when they unlock it"
                  checked={draft.emailOnUnlock}
                  onChange={(e) => set('emailOnUnlock', e.currentTarget.checked)}
                />
              </Section>
            </Stack>
          </Grid.Col>

          <Grid.Col span={{ base: 12, md: 4 }}>
            <Stack gap="md" className="preview-panel">
              <Paper withBorder p="lg" aria-live="polite">
                <Stack gap="xs">
                  <Group justify="space-between">
                    <Text size="xs" tt="uppercase" fw={700} c="dimmed">
                      Users will read
                    </Text>
                    {previewing && <Loader size="xs" aria-label="Updating" />}
                  </Group>
                  {incomplete ? (
                    <Text c="dimmed" size="sm">
                      {incomplete}
                    </Text>
                  ) : (
                    <Text fw={600} size="lg" data-testid="condition-preview">
                      {preview?.condition ?? (preview ? 'Finish the condition to see how it reads.' : '…')}
                    </Text>
                  )}
                  {!incomplete && preview && preview.tiers.length > 0 && (
                    <List size="sm" spacing={2}>
                      {preview.tiers.map((t) => (
                        <List.Item key={t.key}>
                          <b>{t.name}</b>: {t.condition}
                        </List.Item>
                      ))}
                    </List>
                  )}
                  {!incomplete &&
                    preview?.problems?.map((p, i) => (
                      <Alert key={i} color="orange" variant="light" p="xs" data-testid="preview-problem">
                        <Text size="sm">{p.error}</Text>
                      </Alert>
                    ))}
                  {preview?.warnings.map((w, i) => (
                    <Badge key={i} color="yellow" variant="light" size="lg" style={{ whiteSpace: 'normal', height: 'auto' }}>
                      {w.message}
                    </Badge>
                  ))}
                </Stack>
              </Paper>
              <Paper withBorder p="lg">
                <Stack gap="sm">
                  {editing ? (
                    <Button type="submit" loading={pending === 'save'} disabled={pending !== null} data-testid="save">
                      Save changes
                    </Button>
                  ) : (
                    <>
                      <Button
                        type="submit"
                        variant="default"
                        loading={pending === 'draft'}
                        disabled={pending !== null}
                        data-testid="save-draft"
                      >
                        Save as draft
                      </Button>
                      <Button
                        type="button"
                        onClick={() => void save('active')}
                        loading={pending === 'active'}
                        disabled={pending !== null}
                        data-testid="save-publish"
                      >
                        Save and publish
                      </Button>
                      <Text size="xs" c="dimmed">
                        A draft is invisible to users. Publishing makes it earnable at once
                        {draft.onActivation === 'backfill' ? ', and users who already qualify receive it silently.' : '.'}
                      </Text>
                    </>
                  )}
                  {editing?.status === 'active' && (
                    <Text size="xs" c="dimmed">
                      It is live: changes to its condition grant it to users who now qualify.
                    </Text>
                  )}
                </Stack>
              </Paper>
            </Stack>
          </Grid.Col>
        </Grid>
      </Stack>
    </form>
  );
}

/** Scrolls to and focuses the input of a field; false when the form has no such field. */
function focusField(field: string | undefined): boolean {
  if (!field) return false;
  let el = document.querySelector<HTMLElement>(`[data-field="${CSS.escape(field)}"]`);
  // "tiers[1].rewards[0].system" lands on the closest enclosing field there is.
  let probe = field;
  while (!el && probe.includes('.')) {
    probe = probe.slice(0, probe.lastIndexOf('.'));
    el = document.querySelector<HTMLElement>(`[data-field="${CSS.escape(probe)}"]`);
  }
  if (!el) return field.includes('rewards') || field.startsWith('tiers');
  el.scrollIntoView({ block: 'center' });
  el.querySelector<HTMLElement>('input, textarea, button')?.focus({ preventScroll: true });
  return true;
}
