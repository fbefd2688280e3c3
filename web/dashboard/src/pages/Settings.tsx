import {
  ActionIcon,
  Alert,
  Badge,
  Button,
  Code,
  CopyButton,
  Group,
  Modal,
  MultiSelect,
  NumberInput,
  Select,
  Stack,
  Switch,
  Table,
  Tabs,
  Text,
  TextInput,
  Title,
  Tooltip,
} from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { IconCheck, IconCopy, IconPlus, IconTrash } from '@tabler/icons-react';
import { useEffect, useState } from 'react';
import { type ApiKey, api, type CreatedApiKey, enc, type Metric, type PointsSystem, type Settings, type Streak } from '../api';
import { EmptyState, ErrorState, FormError, formatDate, navigate, PageLoader, Panel, useApiData, useSubmit } from '../lib';
import { EmailSettings } from './EmailSettings';
import { TeamSettings } from './TeamSettings';
import { WidgetSettings } from './WidgetSettings';

export function SettingsPage({ tab }: { tab: string }) {
  return (
    <Stack gap="lg">
      <div>
        <Title order={2}>Settings</Title>
        <Text c="dimmed" size="sm">
          Keys for your apps, how the community behaves, and the building blocks achievements use.
        </Text>
      </div>
      <Tabs value={tab} onChange={(t) => navigate(`/settings/${t ?? 'keys'}`, { replace: true })} keepMounted={false}>
        <Tabs.List>
          <Tabs.Tab value="keys">Application keys</Tabs.Tab>
          <Tabs.Tab value="community">Community</Tabs.Tab>
          <Tabs.Tab value="metrics">Metrics</Tabs.Tab>
          <Tabs.Tab value="points">Points systems</Tabs.Tab>
          <Tabs.Tab value="streaks">Streaks</Tabs.Tab>
          <Tabs.Tab value="teams">Teams</Tabs.Tab>
          <Tabs.Tab value="email">Email</Tabs.Tab>
          <Tabs.Tab value="widgets">Widgets</Tabs.Tab>
        </Tabs.List>
        <Tabs.Panel value="keys" pt="lg">
          <Keys />
        </Tabs.Panel>
        <Tabs.Panel value="community" pt="lg">
          <Community />
        </Tabs.Panel>
        <Tabs.Panel value="metrics" pt="lg">
          <Metrics />
        </Tabs.Panel>
        <Tabs.Panel value="points" pt="lg">
          <PointsSystems />
        </Tabs.Panel>
        <Tabs.Panel value="streaks" pt="lg">
          <Streaks />
        </Tabs.Panel>
        <Tabs.Panel value="teams" pt="lg">
          <TeamSettings />
        </Tabs.Panel>
        <Tabs.Panel value="email" pt="lg">
          <EmailSettings />
        </Tabs.Panel>
        <Tabs.Panel value="widgets" pt="lg">
          <WidgetSettings />
        </Tabs.Panel>
      </Tabs>
    </Stack>
  );
}

function Keys() {
  const keys = useApiData(() => api.get<ApiKey[]>('/admin/v1/api-keys'), []);
  const [creating, setCreating] = useState(false);
  const [name, setName] = useState('');
  const [kind, setKind] = useState<'application' | 'admin'>('application');
  const [shown, setShown] = useState<CreatedApiKey | null>(null);
  const [revoking, setRevoking] = useState<ApiKey | null>(null);
  const create = useSubmit(
    () => api.post<CreatedApiKey>('/admin/v1/api-keys', { name: name.trim(), kind }),
    (k) => {
      setCreating(false);
      setName('');
      setShown(k);
      void keys.reload();
    },
  );
  const revoke = useSubmit(
    () => api.del<ApiKey>(`/admin/v1/api-keys/${enc(revoking?.id ?? '')}`),
    () => {
      notifications.show({ color: 'teal', title: 'Key revoked', message: `${revoking?.name} no longer works.` });
      setRevoking(null);
      void keys.reload();
    },
  );
  const list = (keys.data ?? []).filter((k) => k.revoked === null);

  return (
    <Panel
      title="Application keys"
      description="Your app's backend sends events with an application key. Application keys can use /v1 only; admin keys can do everything."
      action={
        <Button leftSection={<IconPlus size={16} />} onClick={() => setCreating(true)}>
          Create key
        </Button>
      }
    >
      {keys.error ? (
        <ErrorState error={keys.error} onRetry={keys.reload} />
      ) : !keys.data ? (
        <PageLoader />
      ) : list.length === 0 ? (
        <EmptyState title="No keys yet">Create an application key and put it in your app's server configuration.</EmptyState>
      ) : (
        <Table aria-label="API keys">
          <Table.Thead>
            <Table.Tr>
              <Table.Th>Name</Table.Th>
              <Table.Th>Kind</Table.Th>
              <Table.Th>Starts with</Table.Th>
              <Table.Th>Created</Table.Th>
              <Table.Th />
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {list.map((k) => (
              <Table.Tr key={k.id}>
                <Table.Td fw={500}>{k.name}</Table.Td>
                <Table.Td>
                  <Badge variant="light" color={k.kind === 'admin' ? 'red' : 'gray'}>
                    {k.kind}
                  </Badge>
                </Table.Td>
                <Table.Td>
                  <Code>{k.prefix}…</Code>
                </Table.Td>
                <Table.Td>{formatDate(k.created)}</Table.Td>
                <Table.Td ta="right">
                  <Button size="xs" variant="subtle" color="red" onClick={() => setRevoking(k)}>
                    Revoke
                  </Button>
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      )}

      <Modal opened={creating} onClose={() => setCreating(false)} title={<Text fw={700}>Create a key</Text>} centered>
        <form onSubmit={create.submit} noValidate>
          <Stack>
            <FormError error={create.error} placed={['name']} />
            <TextInput
              label="Name"
              description="Where it will be used, e.g. web app"
              required
              value={name}
              onChange={(e) => setName(e.currentTarget.value)}
              error={create.fieldError('name')}
              data-autofocus
            />
            <Select
              label="Kind"
              allowDeselect={false}
              data={[
                { value: 'application', label: 'Application: /v1 only (recommended)' },
                { value: 'admin', label: 'Admin: full control' },
              ]}
              value={kind}
              onChange={(v) => setKind((v as 'application' | 'admin') ?? 'application')}
            />
            <Group justify="flex-end">
              <Button variant="default" onClick={() => setCreating(false)}>
                Cancel
              </Button>
              <Button type="submit" loading={create.busy}>
                Create
              </Button>
            </Group>
          </Stack>
        </form>
      </Modal>

      <Modal
        opened={shown !== null}
        onClose={() => setShown(null)}
        title={<Text fw={700}>Your new key</Text>}
        centered
        closeOnClickOutside={false}
      >
        <Stack>
          <Alert color="yellow" variant="light">
            Copy it now: this is the only time Laurel shows it.
          </Alert>
          <Group wrap="nowrap" gap="xs">
            <Code block style={{ flex: 1, whiteSpace: 'pre-wrap', wordBreak: 'break-all' }} data-testid="new-key">
              {shown?.key}
            </Code>
            <CopyButton value={shown?.key ?? ''}>
              {({ copied, copy }) => (
                <Tooltip label={copied ? 'Copied' : 'Copy'}>
                  <ActionIcon variant="light" onClick={copy} aria-label="Copy the key">
                    {copied ? <IconCheck size={16} /> : <IconCopy size={16} />}
                  </ActionIcon>
                </Tooltip>
              )}
            </CopyButton>
          </Group>
          <Group justify="flex-end">
            <Button onClick={() => setShown(null)}>I have copied it</Button>
          </Group>
        </Stack>
      </Modal>

      <Modal opened={revoking !== null} onClose={() => setRevoking(null)} title={<Text fw={700}>Revoke “{revoking?.name}”?</Text>} centered>
        <Stack>
          <Text>Every request made with this key is refused from now on. Apps using it stop sending events until they get a new key.</Text>
          <FormError error={revoke.error} placed={[]} />
          <Group justify="flex-end">
            <Button variant="default" onClick={() => setRevoking(null)}>
              Cancel
            </Button>
            <Button color="red" onClick={() => void revoke.submit()} loading={revoke.busy}>
              Revoke key
            </Button>
          </Group>
        </Stack>
      </Modal>
    </Panel>
  );
}

/** A rate limit as typed: empty is no limit. */
const perSecond = (v: string | number) => (v === '' ? null : Number(v));

function Community() {
  const settings = useApiData(() => api.get<Settings>('/admin/v1/settings'), []);
  const [form, setForm] = useState<Settings | null>(null);
  useEffect(() => {
    if (settings.data) setForm(settings.data);
  }, [settings.data]);
  const save = useSubmit(
    () => api.patch<Settings>('/admin/v1/settings', form),
    (s) => {
      settings.setData(s);
      notifications.show({ color: 'teal', title: 'Settings saved', message: 'They apply to the next event.' });
    },
  );
  if (settings.error) return <ErrorState error={settings.error} onRetry={settings.reload} />;
  if (!form) return <PageLoader />;
  return (
    <Panel title="Community" description="How this community's events and achievements behave.">
      <form onSubmit={save.submit} noValidate>
        <Stack maw={560}>
          <FormError
            error={save.error}
            placed={['weekStart', 'lateEventHorizonDays', 'rateLimits.eventsPerSecond', 'rateLimits.readsPerSecond']}
          />
          <Switch
            label="Achievements enabled"
            description="When off, events are still recorded but nothing unlocks."
            checked={form.achievementsEnabled}
            onChange={(e) => setForm({ ...form, achievementsEnabled: e.currentTarget.checked })}
          />
          <Switch
            label="Strict metrics"
            description="Refuse events and achievements naming a metric that has not been created here first."
            checked={form.strictMetrics}
            onChange={(e) => setForm({ ...form, strictMetrics: e.currentTarget.checked })}
          />
          <Select
            label="Weeks start on"
            allowDeselect={false}
            data={['Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday', 'Sunday'].map((d, i) => ({
              value: String(i + 1),
              label: d,
            }))}
            value={String(form.weekStart)}
            onChange={(v) => setForm({ ...form, weekStart: Number(v ?? 1) })}
            error={save.fieldError('weekStart')}
            w={220}
          />
          <NumberInput
            label="Accept late events up to"
            suffix=" days"
            description="Older events are refused."
            min={0}
            max={3650}
            allowDecimal={false}
            value={form.lateEventHorizonDays}
            onChange={(v) => setForm({ ...form, lateEventHorizonDays: Number(v) })}
            error={save.fieldError('lateEventHorizonDays')}
            w={220}
          />
          <Group align="flex-start">
            <NumberInput
              label="Events per second, per API key"
              description="Each event of a batch counts. Empty: no limit."
              min={1}
              allowDecimal={false}
              value={form.rateLimits.eventsPerSecond ?? ''}
              onChange={(v) => setForm({ ...form, rateLimits: { ...form.rateLimits, eventsPerSecond: perSecond(v) } })}
              error={save.fieldError('rateLimits.eventsPerSecond')}
              w={220}
            />
            <NumberInput
              label="Reads per second, per API key"
              description="GET requests. Empty: no limit."
              min={1}
              allowDecimal={false}
              value={form.rateLimits.readsPerSecond ?? ''}
              onChange={(v) => setForm({ ...form, rateLimits: { ...form.rateLimits, readsPerSecond: perSecond(v) } })}
              error={save.fieldError('rateLimits.readsPerSecond')}
              w={220}
            />
          </Group>
          <Group>
            <Button type="submit" loading={save.busy}>
              Save settings
            </Button>
          </Group>
        </Stack>
      </form>
    </Panel>
  );
}

function Metrics() {
  const metrics = useApiData(() => api.get<Metric[]>('/admin/v1/metrics'), []);
  const [open, setOpen] = useState(false);
  const empty = { key: '', name: '', verb: '', unit: '', unitSingular: '' };
  const [form, setForm] = useState(empty);
  const create = useSubmit(
    () =>
      api.post<Metric>('/admin/v1/metrics', {
        key: form.key.trim(),
        name: form.name.trim() || undefined,
        verb: form.verb.trim() || null,
        unit: form.unit.trim() || null,
        unitSingular: form.unitSingular.trim() || null,
      }),
    () => {
      setOpen(false);
      setForm(empty);
      void metrics.reload();
    },
  );
  const archive = async (m: Metric) => {
    try {
      await api.del(`/admin/v1/metrics/${enc(m.key)}`);
      notifications.show({ color: 'teal', title: 'Metric deleted', message: `Achievements on “${m.name}” are now flagged as dangling.` });
      void metrics.reload();
    } catch (e) {
      notifications.show({ color: 'red', title: 'Could not delete it', message: e instanceof Error ? e.message : String(e) });
    }
  };
  const list = (metrics.data ?? []).filter((m) => m.status === 'active');
  return (
    <Panel
      title="Metrics"
      description="What your app counts: each event adds a value to one user's metric. Wording makes conditions read well (“Write 50 words”)."
      action={
        <Button leftSection={<IconPlus size={16} />} onClick={() => setOpen(true)}>
          New metric
        </Button>
      }
    >
      {metrics.error ? (
        <ErrorState error={metrics.error} onRetry={metrics.reload} />
      ) : !metrics.data ? (
        <PageLoader />
      ) : list.length === 0 ? (
        <EmptyState title="No metrics yet">
          Create one here, or just send events: a metric is created the first time an event names it.
        </EmptyState>
      ) : (
        <Table aria-label="Metrics">
          <Table.Thead>
            <Table.Tr>
              <Table.Th>Name</Table.Th>
              <Table.Th>Key</Table.Th>
              <Table.Th>Wording</Table.Th>
              <Table.Th />
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {list.map((m) => (
              <Table.Tr key={m.id}>
                <Table.Td fw={500}>{m.name}</Table.Td>
                <Table.Td>
                  <Code>{m.key}</Code>
                </Table.Td>
                <Table.Td>
                  {m.verb && m.unit ? (
                    `${m.verb} 10 ${m.unit}`
                  ) : (
                    <Text c="dimmed" size="sm">
                      —
                    </Text>
                  )}
                </Table.Td>
                <Table.Td ta="right">
                  <ActionIcon variant="subtle" color="red" onClick={() => void archive(m)} aria-label={`Delete metric ${m.name}`}>
                    <IconTrash size={16} />
                  </ActionIcon>
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      )}
      <Modal opened={open} onClose={() => setOpen(false)} title={<Text fw={700}>New metric</Text>} centered>
        <form onSubmit={create.submit} noValidate>
          <Stack>
            <FormError error={create.error} placed={['key', 'name', 'verb', 'unit', 'unitSingular']} />
            <TextInput
              label="Key"
              description="What your app sends, e.g. words"
              required
              value={form.key}
              onChange={(e) => setForm({ ...form, key: e.currentTarget.value })}
              error={create.fieldError('key')}
              data-autofocus
            />
            <TextInput
              label="Name"
              placeholder="Words written"
              value={form.name}
              onChange={(e) => setForm({ ...form, name: e.currentTarget.value })}
              error={create.fieldError('name')}
            />
            <Group grow>
              <TextInput
                label="Verb"
                placeholder="Write"
                value={form.verb}
                onChange={(e) => setForm({ ...form, verb: e.currentTarget.value })}
                error={create.fieldError('verb')}
              />
              <TextInput
                label="Unit"
                placeholder="words"
                value={form.unit}
                onChange={(e) => setForm({ ...form, unit: e.currentTarget.value })}
                error={create.fieldError('unit')}
              />
              <TextInput
                label="Singular"
                placeholder="word"
                value={form.unitSingular}
                onChange={(e) => setForm({ ...form, unitSingular: e.currentTarget.value })}
                error={create.fieldError('unitSingular')}
              />
            </Group>
            <Group justify="flex-end">
              <Button variant="default" onClick={() => setOpen(false)}>
                Cancel
              </Button>
              <Button type="submit" loading={create.busy}>
                Create metric
              </Button>
            </Group>
          </Stack>
        </form>
      </Modal>
    </Panel>
  );
}

function PointsSystems() {
  const systems = useApiData(() => api.get<PointsSystem[]>('/admin/v1/points-systems'), []);
  const [open, setOpen] = useState(false);
  const [form, setForm] = useState({
    key: '',
    name: '',
    kind: 'xp' as 'xp' | 'spendable',
    levels: [] as { key: string; name: string; points: number | '' }[],
  });
  const create = useSubmit(
    () =>
      api.post<PointsSystem>('/admin/v1/points-systems', {
        key: form.key.trim(),
        name: form.name.trim(),
        kind: form.kind,
        levels: form.levels.map((l) => ({ key: l.key.trim(), name: l.name.trim(), points: l.points === '' ? 0 : l.points })),
      }),
    () => {
      setOpen(false);
      setForm({ key: '', name: '', kind: 'xp', levels: [] });
      void systems.reload();
    },
  );
  const list = (systems.data ?? []).filter((s) => s.status === 'active');
  return (
    <Panel
      title="Points systems"
      description="Achievements can pay points. XP only grows; spendable points can be spent. Levels are reached at point totals."
      action={
        <Button leftSection={<IconPlus size={16} />} onClick={() => setOpen(true)}>
          New points system
        </Button>
      }
    >
      {systems.error ? (
        <ErrorState error={systems.error} onRetry={systems.reload} />
      ) : !systems.data ? (
        <PageLoader />
      ) : list.length === 0 ? (
        <EmptyState title="No points systems yet">Create one (for example XP) to reward achievements with points.</EmptyState>
      ) : (
        <Table aria-label="Points systems">
          <Table.Thead>
            <Table.Tr>
              <Table.Th>Name</Table.Th>
              <Table.Th>Key</Table.Th>
              <Table.Th>Kind</Table.Th>
              <Table.Th>Levels</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {list.map((s) => (
              <Table.Tr key={s.id}>
                <Table.Td fw={500}>{s.name}</Table.Td>
                <Table.Td>
                  <Code>{s.key}</Code>
                </Table.Td>
                <Table.Td>{s.kind}</Table.Td>
                <Table.Td>
                  {s.levels.length ? (
                    s.levels.map((l) => `${l.name} (${l.points})`).join(' · ')
                  ) : (
                    <Text c="dimmed" size="sm">
                      —
                    </Text>
                  )}
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      )}
      <Modal opened={open} onClose={() => setOpen(false)} title={<Text fw={700}>New points system</Text>} centered size="lg">
        <form onSubmit={create.submit} noValidate>
          <Stack>
            <FormError error={create.error} placed={['key', 'name']} />
            <Group grow align="flex-start">
              <TextInput
                label="Key"
                placeholder="xp"
                required
                value={form.key}
                onChange={(e) => setForm({ ...form, key: e.currentTarget.value })}
                error={create.fieldError('key')}
                data-autofocus
              />
              <TextInput
                label="Name"
                placeholder="XP"
                required
                value={form.name}
                onChange={(e) => setForm({ ...form, name: e.currentTarget.value })}
                error={create.fieldError('name')}
              />
              <Select
                label="Kind"
                allowDeselect={false}
                data={[
                  { value: 'xp', label: 'XP (never goes down)' },
                  { value: 'spendable', label: 'Spendable' },
                ]}
                value={form.kind}
                onChange={(v) => setForm({ ...form, kind: (v as 'xp' | 'spendable') ?? 'xp' })}
              />
            </Group>
            <Text size="sm" fw={500}>
              Levels
            </Text>
            {form.levels.map((l, i) => (
              <Group key={i} align="flex-end" gap="sm">
                <TextInput
                  label="Level key"
                  value={l.key}
                  onChange={(e) =>
                    setForm({ ...form, levels: form.levels.map((x, j) => (j === i ? { ...x, key: e.currentTarget.value } : x)) })
                  }
                  w={140}
                />
                <TextInput
                  label="Level name"
                  value={l.name}
                  onChange={(e) =>
                    setForm({ ...form, levels: form.levels.map((x, j) => (j === i ? { ...x, name: e.currentTarget.value } : x)) })
                  }
                  w={160}
                />
                <NumberInput
                  label="At points"
                  value={l.points}
                  onChange={(v) =>
                    setForm({ ...form, levels: form.levels.map((x, j) => (j === i ? { ...x, points: v === '' ? '' : Number(v) } : x)) })
                  }
                  w={120}
                />
                <ActionIcon
                  variant="subtle"
                  color="red"
                  mb={4}
                  onClick={() => setForm({ ...form, levels: form.levels.filter((_, j) => j !== i) })}
                  aria-label={`Remove level ${i + 1}`}
                >
                  <IconTrash size={16} />
                </ActionIcon>
              </Group>
            ))}
            <Group>
              <Button
                size="xs"
                variant="light"
                leftSection={<IconPlus size={14} />}
                onClick={() => setForm({ ...form, levels: [...form.levels, { key: '', name: '', points: '' }] })}
              >
                Add level
              </Button>
            </Group>
            <Group justify="flex-end">
              <Button variant="default" onClick={() => setOpen(false)}>
                Cancel
              </Button>
              <Button type="submit" loading={create.busy}>
                Create points system
              </Button>
            </Group>
          </Stack>
        </form>
      </Modal>
    </Panel>
  );
}

function Streaks() {
  const streaks = useApiData(() => api.get<Streak[]>('/admin/v1/streaks'), []);
  const metrics = useApiData(() => api.get<Metric[]>('/admin/v1/metrics'), []);
  const [open, setOpen] = useState(false);
  const empty = {
    key: '',
    name: '',
    frequency: 'daily' as Streak['frequency'],
    metrics: [] as string[],
    mode: 'all' as Streak['mode'],
    freezes: false,
    initial: 1 as number | '',
    every: 7 as number | '',
    max: 3 as number | '',
  };
  const [form, setForm] = useState(empty);
  const create = useSubmit(
    () =>
      api.post<Streak>('/admin/v1/streaks', {
        key: form.key.trim(),
        name: form.name.trim(),
        frequency: form.frequency,
        metrics: form.metrics.map((metric) => ({ metric })),
        mode: form.mode,
        freezes: form.freezes
          ? { initial: Number(form.initial || 0), autoEarnEveryDays: Number(form.every || 0), max: Number(form.max || 0) }
          : null,
      }),
    () => {
      setOpen(false);
      setForm(empty);
      void streaks.reload();
    },
  );
  const list = (streaks.data ?? []).filter((s) => s.status === 'active');
  return (
    <Panel
      title="Streaks"
      description="A streak grows for every day, week or month a user is active, in their own time zone. Streak achievements build on them."
      action={
        <Button leftSection={<IconPlus size={16} />} onClick={() => setOpen(true)}>
          New streak
        </Button>
      }
    >
      {streaks.error ? (
        <ErrorState error={streaks.error} onRetry={streaks.reload} />
      ) : !streaks.data ? (
        <PageLoader />
      ) : list.length === 0 ? (
        <EmptyState title="No streaks yet">Create one to reward users for coming back day after day.</EmptyState>
      ) : (
        <Table aria-label="Streaks">
          <Table.Thead>
            <Table.Tr>
              <Table.Th>Name</Table.Th>
              <Table.Th>Key</Table.Th>
              <Table.Th>Every</Table.Th>
              <Table.Th>Counts</Table.Th>
              <Table.Th>Freezes</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {list.map((s) => (
              <Table.Tr key={s.id}>
                <Table.Td fw={500}>
                  {s.name}{' '}
                  {s.primary && (
                    <Badge size="xs" variant="light">
                      primary
                    </Badge>
                  )}
                </Table.Td>
                <Table.Td>
                  <Code>{s.key}</Code>
                </Table.Td>
                <Table.Td>{s.frequency}</Table.Td>
                <Table.Td>{s.metrics.map((m) => m.metric).join(s.mode === 'all' ? ' and ' : ' or ')}</Table.Td>
                <Table.Td>{s.freezes ? `${s.freezes.initial} to start, max ${s.freezes.max}` : '—'}</Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      )}
      <Modal opened={open} onClose={() => setOpen(false)} title={<Text fw={700}>New streak</Text>} centered size="lg">
        <form onSubmit={create.submit} noValidate>
          <Stack>
            <FormError error={create.error} placed={['key', 'name', 'metrics']} />
            <Group grow align="flex-start">
              <TextInput
                label="Key"
                placeholder="daily-practice"
                required
                value={form.key}
                onChange={(e) => setForm({ ...form, key: e.currentTarget.value })}
                error={create.fieldError('key')}
                data-autofocus
              />
              <TextInput
                label="Name"
                placeholder="Daily practice"
                required
                value={form.name}
                onChange={(e) => setForm({ ...form, name: e.currentTarget.value })}
                error={create.fieldError('name')}
              />
            </Group>
            <Group grow align="flex-start">
              <Select
                label="Every"
                allowDeselect={false}
                data={[
                  { value: 'daily', label: 'Day' },
                  { value: 'weekly', label: 'Week' },
                  { value: 'monthly', label: 'Month' },
                ]}
                value={form.frequency}
                onChange={(v) => setForm({ ...form, frequency: (v as Streak['frequency']) ?? 'daily' })}
              />
              <Select
                label="Needs"
                allowDeselect={false}
                data={[
                  { value: 'all', label: 'Every metric' },
                  { value: 'any', label: 'Any one metric' },
                ]}
                value={form.mode}
                onChange={(v) => setForm({ ...form, mode: (v as Streak['mode']) ?? 'all' })}
              />
            </Group>
            <MultiSelect
              label="Metrics that count"
              placeholder={(metrics.data ?? []).length ? 'Choose' : 'Create a metric first'}
              data={(metrics.data ?? []).filter((m) => m.status === 'active').map((m) => ({ value: m.key, label: m.name }))}
              value={form.metrics}
              onChange={(v) => setForm({ ...form, metrics: v })}
              error={create.error?.field?.startsWith('metrics') ? create.error.message : undefined}
            />
            <Switch
              label="Freezes: a missed period can be covered"
              checked={form.freezes}
              onChange={(e) => setForm({ ...form, freezes: e.currentTarget.checked })}
            />
            {form.freezes && (
              <Group grow>
                <NumberInput
                  label="To start with"
                  min={0}
                  value={form.initial}
                  onChange={(v) => setForm({ ...form, initial: v === '' ? '' : Number(v) })}
                />
                <NumberInput
                  label="One more every (days)"
                  min={0}
                  value={form.every}
                  onChange={(v) => setForm({ ...form, every: v === '' ? '' : Number(v) })}
                />
                <NumberInput
                  label="At most"
                  min={0}
                  value={form.max}
                  onChange={(v) => setForm({ ...form, max: v === '' ? '' : Number(v) })}
                />
              </Group>
            )}
            <Group justify="flex-end">
              <Button variant="default" onClick={() => setOpen(false)}>
                Cancel
              </Button>
              <Button type="submit" loading={create.busy}>
                Create streak
              </Button>
            </Group>
          </Stack>
        </form>
      </Modal>
    </Panel>
  );
}
