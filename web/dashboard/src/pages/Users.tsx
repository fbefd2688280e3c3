import { Anchor, Badge, Button, Card, Grid, Group, Paper, Progress, SimpleGrid, Stack, Table, Text, TextInput, Title } from '@mantine/core';
import { IconFlame, IconSearch } from '@tabler/icons-react';
import { useState } from 'react';
import {
  type ActivityPage,
  type ApiError,
  api,
  enc,
  type PointsSystem,
  type User,
  type UserAchievement,
  type UserPoints,
  type UserStreak,
} from '../api';
import { EmptyState, ErrorState, formatDate, formatNumber, linkProps, navigate, PageLoader, useApiData } from '../lib';

export function UsersPage({ userId }: { userId: string | null }) {
  const [id, setId] = useState(userId ?? '');
  return (
    <Stack gap="lg">
      <div>
        <Title order={2}>Users</Title>
        <Text c="dimmed" size="sm">
          Look a user up by the id your app gives them.
        </Text>
      </div>
      <Paper withBorder p="md">
        <form
          onSubmit={(e) => {
            e.preventDefault();
            if (id.trim()) navigate(`/users/${enc(id.trim())}`);
          }}
        >
          <Group align="flex-end">
            <TextInput
              label="User id"
              placeholder="e.g. ada"
              value={id}
              onChange={(e) => setId(e.currentTarget.value)}
              leftSection={<IconSearch size={16} />}
              w={300}
              autoFocus={!userId}
            />
            <Button type="submit">Look up</Button>
          </Group>
        </form>
      </Paper>
      {userId ? (
        <UserDetail userId={userId} />
      ) : (
        <Paper withBorder>
          <EmptyState title="Find a user">
            Enter a user id to see their achievements, progress, points, streak and recent unlocks.
          </EmptyState>
        </Paper>
      )}
    </Stack>
  );
}

function UserDetail({ userId }: { userId: string }) {
  const base = `/v1/users/${enc(userId)}`;
  const user = useApiData(() => api.get<User>(base), [userId]);
  const achievements = useApiData(() => api.get<UserAchievement[]>(`${base}/achievements?includeIncomplete=true`), [userId]);
  const points = useApiData(async () => {
    const systems = await api.get<PointsSystem[]>('/admin/v1/points-systems');
    return Promise.all(
      systems.filter((s) => s.status === 'active').map((s) => api.get<UserPoints>(`${base}/points/${enc(s.key)}`).catch(() => null)),
    );
  }, [userId]);
  const streak = useApiData(
    () => api.get<UserStreak>(`${base}/streak`).catch((e: ApiError) => (e.status === 404 ? null : Promise.reject(e))),
    [userId],
  );
  const activity = useApiData(() => api.get<ActivityPage>(`${base}/activity?limit=10`), [userId]);

  if (user.error) {
    return user.error.status === 404 ? (
      <Paper withBorder>
        <EmptyState title={`No user “${userId}”`}>
          Users appear once your app sends an event for them or creates them. Check the id.
        </EmptyState>
      </Paper>
    ) : (
      <ErrorState error={user.error} onRetry={user.reload} />
    );
  }
  if (!user.data) return <PageLoader label="Loading the user…" />;
  const u = user.data;
  const unlocked = (achievements.data ?? []).filter((a) => a.completionCount > 0);
  const inProgress = (achievements.data ?? []).filter(
    (a) => a.completionCount === 0 || (a.progress && a.progress.percent < 100 && a.progress.tier),
  );

  return (
    <Stack gap="lg">
      <Paper withBorder p="lg">
        <Group justify="space-between">
          <div>
            <Title order={3}>{u.name ?? u.id}</Title>
            <Text c="dimmed" size="sm">
              {u.id}
              {u.email ? ` · ${u.email}` : ''} · {u.tz ?? 'UTC'} · joined {formatDate(u.created)}
            </Text>
          </div>
          <Group gap={6}>
            {Object.entries(u.attributes).map(([k, v]) => (
              <Badge key={k} variant="light" color="gray">
                {k}: {v}
              </Badge>
            ))}
          </Group>
        </Group>
      </Paper>

      <SimpleGrid cols={{ base: 1, sm: 3 }}>
        <Card withBorder>
          <Text size="xs" tt="uppercase" fw={700} c="dimmed">
            Unlocked
          </Text>
          <Text fw={700} size="xl" data-testid="user-unlocked">
            {achievements.data ? unlocked.length : '…'}
          </Text>
        </Card>
        <Card withBorder>
          <Text size="xs" tt="uppercase" fw={700} c="dimmed">
            Points
          </Text>
          {points.error ? (
            <Text c="red" size="sm">
              {points.error.message}
            </Text>
          ) : !points.data ? (
            <Text>…</Text>
          ) : points.data.filter(Boolean).length === 0 ? (
            <Text c="dimmed" size="sm">
              No points systems yet
            </Text>
          ) : (
            points.data
              .filter((p): p is UserPoints => p !== null)
              .map((p) => (
                <Text key={p.key} fw={600} data-testid={`points-${p.key}`}>
                  {formatNumber(p.total)} {p.name}
                  {p.level ? (
                    <Text span c="dimmed" size="sm">
                      {' '}
                      · {p.level.name}
                    </Text>
                  ) : null}
                </Text>
              ))
          )}
        </Card>
        <Card withBorder>
          <Text size="xs" tt="uppercase" fw={700} c="dimmed">
            Streak
          </Text>
          {streak.data ? (
            <Group gap={6}>
              <IconFlame size={20} color="var(--mantine-color-orange-6)" aria-hidden />
              <Text fw={700} size="xl">
                {streak.data.length}
              </Text>
              <Text c="dimmed" size="sm">
                {streak.data.frequency === 'daily' ? 'days' : streak.data.frequency === 'weekly' ? 'weeks' : 'months'}
                {streak.data.expires ? ` · keep it by ${streak.data.expires}` : ''}
              </Text>
            </Group>
          ) : (
            <Text c="dimmed" size="sm">
              {streak.loading ? '…' : 'No streak'}
            </Text>
          )}
        </Card>
      </SimpleGrid>

      <Grid gutter="lg">
        <Grid.Col span={{ base: 12, md: 7 }}>
          <Paper withBorder p="lg">
            <Title order={4} mb="sm">
              Achievements
            </Title>
            {achievements.error ? (
              <ErrorState error={achievements.error} onRetry={achievements.reload} />
            ) : !achievements.data ? (
              <PageLoader />
            ) : achievements.data.length === 0 ? (
              <Text c="dimmed" size="sm">
                No achievements are open to this user yet.
              </Text>
            ) : (
              <Stack gap="md">
                {unlocked.map((a) => (
                  <Group key={`u-${a.key}`} justify="space-between" wrap="nowrap">
                    <div>
                      <Anchor {...linkProps(`/achievements/${enc(a.key)}`)} fw={600}>
                        {a.name}
                      </Anchor>
                      <Text size="xs" c="dimmed">
                        Unlocked {a.achievedAt ? formatDate(a.achievedAt) : ''}
                        {a.completionCount > 1 ? ` · ${a.completionCount} times` : ''}
                      </Text>
                    </div>
                    <Badge color="teal" variant="light">
                      {a.tier?.name ?? 'Unlocked'}
                    </Badge>
                  </Group>
                ))}
                {inProgress.map((a) => (
                  <div key={`p-${a.key}`} data-testid={`progress-${a.key}`}>
                    <Group justify="space-between" wrap="nowrap">
                      <Anchor {...linkProps(`/achievements/${enc(a.key)}`)} fw={600}>
                        {a.name}
                        {a.progress?.tier ? ` → ${a.progress.tier.name}` : ''}
                      </Anchor>
                      <Text size="sm" c="dimmed">
                        {a.progress ? `${formatNumber(a.progress.current)} / ${formatNumber(a.progress.target)}` : 'No progress to show'}
                      </Text>
                    </Group>
                    <Progress value={a.progress?.percent ?? 0} mt={4} aria-label={`Progress towards ${a.name}`} />
                  </div>
                ))}
              </Stack>
            )}
          </Paper>
        </Grid.Col>
        <Grid.Col span={{ base: 12, md: 5 }}>
          <Paper withBorder p="lg">
            <Title order={4} mb="sm">
              Recent activity
            </Title>
            {activity.error ? (
              <ErrorState error={activity.error} onRetry={activity.reload} />
            ) : !activity.data ? (
              <PageLoader />
            ) : activity.data.items.length === 0 ? (
              <Text c="dimmed" size="sm">
                Nothing unlocked yet.
              </Text>
            ) : (
              <Table aria-label="Recent activity">
                <Table.Tbody>
                  {activity.data.items.map((i) => (
                    <Table.Tr key={i.id}>
                      <Table.Td>
                        <Text size="sm" fw={500}>
                          {i.achievement.name}
                          {i.tier ? ` · ${i.tier.name}` : ''}
                        </Text>
                        <Text size="xs" c="dimmed">
                          {formatDate(i.achievedAt)}
                          {i.backfilled ? ' · backfilled' : ''}
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
    </Stack>
  );
}
