import { BarChart } from '@mantine/charts';
import { Alert, Anchor, Badge, Button, Card, Grid, Group, Image, Modal, Paper, SimpleGrid, Stack, Table, Text, Title } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { IconAlertTriangle, IconArchive, IconArrowLeft, IconEdit, IconLock, IconPlayerPlay } from '@tabler/icons-react';
import { useState } from 'react';
import {
  type Achievement,
  type AchievementAnalytics,
  type AchievementChange,
  ApiError,
  api,
  type BackfillPreview,
  enc,
  type Status,
} from '../api';
import { EmptyState, ErrorState, formatDate, formatNumber, linkProps, PageLoader, STATUS_COLORS, useApiData } from '../lib';
import { rewardSummary } from './AchievementList';

type Action = 'active' | 'locked' | 'archived';

const NEXT: Record<Status, Action[]> = { draft: ['active', 'archived'], active: ['locked'], locked: ['active', 'archived'], archived: [] };

export function AchievementPage({ achievementKey }: { achievementKey: string }) {
  const achievement = useApiData(() => api.get<Achievement>(`/admin/v1/achievements/${enc(achievementKey)}`), [achievementKey]);
  const analytics = useApiData(
    () => api.get<AchievementAnalytics>(`/admin/v1/achievements/${enc(achievementKey)}/analytics?days=30`),
    [achievementKey],
  );
  const [action, setAction] = useState<Action | null>(null);

  if (achievement.error) {
    return achievement.error.status === 404 ? (
      <EmptyState
        title="No such achievement"
        action={
          <Button {...linkProps('/')} component="a">
            Back to achievements
          </Button>
        }
      >
        There is no achievement with the key “{achievementKey}”.
      </EmptyState>
    ) : (
      <ErrorState error={achievement.error} onRetry={achievement.reload} />
    );
  }
  const a = achievement.data;
  if (!a) return <PageLoader label="Loading the achievement…" />;

  const refresh = (changed: Achievement) => {
    achievement.setData(changed);
    void analytics.reload();
  };

  return (
    <Stack gap="lg">
      <div>
        <Anchor {...linkProps('/')} size="sm">
          <Group gap={4}>
            <IconArrowLeft size={14} /> Achievements
          </Group>
        </Anchor>
        <Group justify="space-between" align="flex-start" mt={4}>
          <Group gap="md" wrap="nowrap">
            {a.badgeUrl && <Image src={a.badgeUrl} alt="" w={56} h={56} fit="contain" />}
            <div>
              <Group gap="sm">
                <Title order={2}>{a.name}</Title>
                <Badge color={STATUS_COLORS[a.status]} variant="light" size="lg" data-testid="status">
                  {a.status}
                </Badge>
              </Group>
              <Text c="dimmed" size="sm" ff="monospace">
                {a.key}
              </Text>
            </div>
          </Group>
          <Group gap="sm">
            {a.status !== 'archived' && (
              <Button
                variant="default"
                leftSection={<IconEdit size={16} />}
                {...linkProps(`/achievements/${enc(a.key)}/edit`)}
                component="a"
              >
                Edit
              </Button>
            )}
            {NEXT[a.status].map((next) => (
              <Button
                key={next}
                color={next === 'archived' ? 'red' : next === 'locked' ? 'orange' : 'teal'}
                variant={next === 'archived' ? 'light' : 'filled'}
                leftSection={
                  next === 'active' ? <IconPlayerPlay size={16} /> : next === 'locked' ? <IconLock size={16} /> : <IconArchive size={16} />
                }
                onClick={() => setAction(next)}
              >
                {next === 'active' ? (a.status === 'draft' ? 'Publish' : 'Activate') : next === 'locked' ? 'Lock' : 'Archive'}
              </Button>
            ))}
          </Group>
        </Group>
      </div>

      {a.health === 'dangling' && (
        <Alert color="red" variant="light" icon={<IconAlertTriangle size={18} />} title="This achievement cannot be earned right now">
          {a.healthIssues.map((i) => i.message).join('; ')}. Edit it to point at something that exists.
        </Alert>
      )}

      <SimpleGrid cols={{ base: 2, sm: 4 }}>
        <Stat label="Completions" value={formatNumber(a.completions)} testId="stat-completions" />
        <Stat label="Rarity" value={`${a.rarity}%`} hint="of all users hold it" testId="stat-rarity" />
        <Stat label="Users" value={analytics.data ? formatNumber(analytics.data.users) : '…'} hint="in the community" />
        <Stat label="Reward" value={rewardSummary(a)} />
      </SimpleGrid>

      <Grid gutter="lg">
        <Grid.Col span={{ base: 12, md: 7 }}>
          <Paper withBorder p="lg" h="100%">
            <Stack gap="xs">
              <Text size="xs" tt="uppercase" fw={700} c="dimmed">
                Condition
              </Text>
              <Text fw={600} size="lg" data-testid="condition">
                {a.condition}
              </Text>
              {a.description && <Text c="dimmed">{a.description}</Text>}
              {a.tiers.length > 0 && (
                <Table mt="sm" aria-label="Tiers">
                  <Table.Thead>
                    <Table.Tr>
                      <Table.Th>Tier</Table.Th>
                      <Table.Th>Condition</Table.Th>
                      <Table.Th>Reward</Table.Th>
                    </Table.Tr>
                  </Table.Thead>
                  <Table.Tbody>
                    {a.tiers.map((t) => (
                      <Table.Tr key={t.key}>
                        <Table.Td fw={600}>{t.name}</Table.Td>
                        <Table.Td>{t.condition}</Table.Td>
                        <Table.Td>{rewardSummary({ rewards: t.rewards, tiers: [] })}</Table.Td>
                      </Table.Tr>
                    ))}
                  </Table.Tbody>
                </Table>
              )}
              <Group gap="xs" mt="sm">
                <Badge variant="outline" color="gray">
                  {a.scope === 'org' ? 'Organisation' : 'Community'}
                </Badge>
                {a.category && <Badge variant="outline">{a.category}</Badge>}
                {a.tags.map((t) => (
                  <Badge key={t} variant="light" color="gray">
                    {t}
                  </Badge>
                ))}
                <Badge variant="outline" color="gray">
                  {a.policies.onActivation === 'backfill' ? 'Backfills on activation' : 'Counts from activation'}
                </Badge>
                {a.policies.repeat !== 'once' && (
                  <Badge variant="outline" color="gray">
                    Repeat: {a.policies.repeat.replace('_', ' ')}
                  </Badge>
                )}
              </Group>
            </Stack>
          </Paper>
        </Grid.Col>
        <Grid.Col span={{ base: 12, md: 5 }}>
          <Paper withBorder p="lg" h="100%">
            <Text size="xs" tt="uppercase" fw={700} c="dimmed" mb="xs">
              Latest unlocks
            </Text>
            {analytics.error ? (
              <ErrorState error={analytics.error} onRetry={analytics.reload} />
            ) : !analytics.data ? (
              <PageLoader />
            ) : analytics.data.latest.length === 0 ? (
              <Text c="dimmed" size="sm">
                Nobody has unlocked it yet.{' '}
                {a.status === 'draft' ? 'Publish it to make it earnable.' : 'Unlocks appear here as users earn it.'}
              </Text>
            ) : (
              <Table aria-label="Latest unlocks" data-testid="latest-unlocks">
                <Table.Tbody>
                  {analytics.data.latest.map((u, i) => (
                    <Table.Tr key={i}>
                      <Table.Td>
                        <Anchor {...linkProps(`/users/${enc(u.userId)}`)} size="sm">
                          {u.userName ?? u.userId}
                        </Anchor>
                      </Table.Td>
                      <Table.Td>
                        {u.tier && (
                          <Text size="sm" fw={500} c="teal">
                            {u.tier.name}
                          </Text>
                        )}
                      </Table.Td>
                      <Table.Td>
                        <Text size="xs" c="dimmed">
                          {formatDate(u.achievedAt)}
                          {u.backfilled ? ' · backfilled' : ''}
                        </Text>
                      </Table.Td>
                    </Table.Tr>
                  ))}
                </Table.Tbody>
              </Table>
            )}
          </Paper>
        </Grid.Col>
      </Grid>

      <Grid gutter="lg">
        <Grid.Col span={{ base: 12, md: 6 }}>
          <Paper withBorder p="lg">
            <Title order={4}>Where users stand</Title>
            <Text size="sm" c="dimmed" mb="md">
              {analytics.data?.stagesKind === 'held'
                ? 'Users who hold it, and who do not yet.'
                : a.tiers.length > 0
                  ? 'Users by progress towards the first tier, and by the highest tier they hold.'
                  : 'Users by progress towards it, and how many hold it.'}
            </Text>
            {analytics.data ? (
              analytics.data.users === 0 ? (
                <Text c="dimmed" size="sm">
                  No users yet: they appear as your app sends events.
                </Text>
              ) : (
                <div data-testid="progress-chart" data-stages={JSON.stringify(analytics.data.stages.map((s) => [s.label, s.users]))}>
                  <BarChart
                    h={240}
                    data={analytics.data.stages}
                    dataKey="label"
                    series={[{ name: 'users', label: 'Users', color: 'teal.6' }]}
                    tickLine="y"
                    withTooltip
                    yAxisProps={{ allowDecimals: false }}
                    role="figure"
                    aria-label="Users per stage of progress"
                  />
                </div>
              )
            ) : (
              <PageLoader />
            )}
          </Paper>
        </Grid.Col>
        <Grid.Col span={{ base: 12, md: 6 }}>
          <Paper withBorder p="lg">
            <Title order={4}>Unlocks per day</Title>
            <Text size="sm" c="dimmed" mb="md">
              The last 30 days (UTC), every tier and repeat counted.
            </Text>
            {analytics.data ? (
              <BarChart
                h={240}
                data={analytics.data.unlocksPerDay.map((d) => ({ ...d, day: d.date.slice(5) }))}
                dataKey="day"
                series={[{ name: 'unlocks', label: 'Unlocks', color: 'indigo.5' }]}
                tickLine="y"
                yAxisProps={{ allowDecimals: false }}
                role="figure"
                aria-label="Unlocks per day"
              />
            ) : (
              <PageLoader />
            )}
          </Paper>
        </Grid.Col>
      </Grid>

      {action && <StatusDialog a={a} action={action} onClose={() => setAction(null)} onChanged={refresh} />}
    </Stack>
  );
}

function Stat({ label, value, hint, testId }: { label: string; value: string; hint?: string; testId?: string }) {
  return (
    <Card withBorder padding="md">
      <Text size="xs" tt="uppercase" fw={700} c="dimmed">
        {label}
      </Text>
      <Text fw={700} size="xl" data-testid={testId}>
        {value}
      </Text>
      {hint && (
        <Text size="xs" c="dimmed">
          {hint}
        </Text>
      )}
    </Card>
  );
}

function StatusDialog({
  a,
  action,
  onClose,
  onChanged,
}: {
  a: Achievement;
  action: Action;
  onClose: () => void;
  onChanged: (a: Achievement) => void;
}) {
  const preview = useApiData(
    () => (action === 'active' ? api.get<BackfillPreview>(`/admin/v1/achievements/${enc(a.key)}/backfill-preview`) : Promise.resolve(null)),
    [a.key, action],
  );
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const title =
    action === 'active'
      ? a.status === 'draft'
        ? `Publish “${a.name}”?`
        : `Activate “${a.name}” again?`
      : action === 'locked'
        ? `Lock “${a.name}”?`
        : `Archive “${a.name}”?`;

  const confirm = async () => {
    if (busy) return;
    setBusy(true);
    setError(null);
    try {
      const change = await api.patch<AchievementChange>(`/admin/v1/achievements/${enc(a.key)}`, { status: action });
      const granted = change.backfill?.granted;
      notifications.show({
        color: 'teal',
        title: action === 'active' ? 'It is live' : action === 'locked' ? 'Locked' : 'Archived',
        message: granted ? `${formatNumber(granted)} unlocks granted silently to users who already qualified.` : change.achievement.name,
      });
      onChanged(change.achievement);
      onClose();
    } catch (e) {
      setError(e instanceof ApiError ? e.message : String(e));
    } finally {
      setBusy(false);
    }
  };

  let consequence: React.ReactNode;
  if (action === 'active') {
    const p = preview.data;
    consequence = (
      <Stack gap="xs">
        <Text>It becomes visible to users and they can earn it from now on.</Text>
        {preview.loading ? (
          <Text c="dimmed" size="sm">
            Counting who already qualifies…
          </Text>
        ) : preview.error ? (
          <Text c="red" size="sm">
            Could not count who already qualifies: {preview.error.message}
          </Text>
        ) : p && !p.backfills ? (
          <Text fw={600} data-testid="backfill-consequence">
            {p.reason}
          </Text>
        ) : p?.supported ? (
          <Text fw={600} data-testid="backfill-consequence">
            {p.users === 0
              ? (p.reason ?? 'Nobody qualifies yet, so nobody receives it right away.')
              : `${formatNumber(p.users ?? 0)} ${p.users === 1 ? 'user already qualifies and will' : 'users already qualify and will'} receive it silently (no notification).`}
            {p.tiers.length > 1 && p.users ? ` ${p.tiers.map((t) => `${t.name}: ${formatNumber(t.users)}`).join(', ')}.` : ''}
          </Text>
        ) : (
          <Text fw={600} data-testid="backfill-consequence">
            {p?.reason ?? 'Users who already qualify will receive it silently.'}
          </Text>
        )}
      </Stack>
    );
  } else if (action === 'locked') {
    consequence = (
      <Text data-testid="lock-consequence">
        Nobody can earn it any more. The {formatNumber(a.completions)} {a.completions === 1 ? 'user who holds' : 'users who hold'} it keep
        it and still see it; others no longer do. You can activate it again later.
      </Text>
    );
  } else {
    consequence = (
      <Text data-testid="archive-consequence">
        It is hidden from everyone, can never be earned or edited again, and is kept only for the record. This cannot be undone.
      </Text>
    );
  }

  return (
    <Modal opened onClose={onClose} title={<Text fw={700}>{title}</Text>} centered>
      <Stack gap="md">
        {consequence}
        {error && (
          <Alert color="red" variant="light" role="alert">
            {error}
          </Alert>
        )}
        <Group justify="flex-end">
          <Button variant="default" onClick={onClose}>
            Cancel
          </Button>
          <Button
            color={action === 'archived' ? 'red' : action === 'locked' ? 'orange' : 'teal'}
            onClick={confirm}
            loading={busy}
            data-testid="confirm-status"
          >
            {action === 'active' ? (a.status === 'draft' ? 'Publish' : 'Activate') : action === 'locked' ? 'Lock it' : 'Archive it'}
          </Button>
        </Group>
      </Stack>
    </Modal>
  );
}
