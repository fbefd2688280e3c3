/** Teams: the community's company → region → team tree; create, rename, move, archive and restore. */
import { Badge, Button, Code, Group, Modal, Select, Stack, Table, Text, TextInput } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { IconPlus } from '@tabler/icons-react';
import { useState } from 'react';
import { api, enc, type Team } from '../api';
import { EmptyState, ErrorState, FormError, formatNumber, PageLoader, Panel, useApiData, useSubmit } from '../lib';

/** Parents first, siblings by name: the order the tree reads in. */
function treeOrder(teams: Team[]): Team[] {
  const children = new Map<string | null, Team[]>();
  const keys = new Set(teams.map((t) => t.key));
  for (const t of teams) {
    // A parent missing from the list (should not happen) would hide the team: show it as a root instead.
    const parent = t.parent !== null && keys.has(t.parent) ? t.parent : null;
    children.set(parent, [...(children.get(parent) ?? []), t]);
  }
  const ordered: Team[] = [];
  const visit = (parent: string | null) => {
    for (const t of (children.get(parent) ?? []).sort((a, b) => a.name.localeCompare(b.name))) {
      ordered.push(t);
      visit(t.key);
    }
  };
  visit(null);
  return ordered;
}

/** "Company › North › Team A": a team's path by names. */
function pathLabel(team: Team, byKey: Map<string, Team>): string {
  return team.path.map((k) => byKey.get(k)?.name ?? k).join(' › ');
}

interface Draft {
  key: string;
  name: string;
  parent: string | null;
}

export function TeamSettings() {
  const teams = useApiData(() => api.get<Team[]>('/admin/v1/teams'), []);
  const [creating, setCreating] = useState(false);
  const [editing, setEditing] = useState<Team | null>(null);
  const [archiving, setArchiving] = useState<Team | null>(null);
  const [draft, setDraft] = useState<Draft>({ key: '', name: '', parent: null });

  const list = treeOrder(teams.data ?? []);
  const byKey = new Map(list.map((t) => [t.key, t]));
  // Only active teams take sub-teams; a team cannot be its own parent. Its sub-teams stay in the list
  // so the server can say why they are refused (team_cycle) on the field.
  const parentOptions = (self: string | null) =>
    list.filter((t) => t.status === 'active' && t.key !== self).map((t) => ({ value: t.key, label: pathLabel(t, byKey) }));

  const create = useSubmit(
    () => api.post<Team>('/admin/v1/teams', { key: draft.key.trim(), name: draft.name.trim(), parent: draft.parent }),
    (t) => {
      setCreating(false);
      notifications.show({ color: 'teal', title: 'Team created', message: `“${t.name}” can take members now.` });
      void teams.reload();
    },
  );
  const update = useSubmit(
    async () => {
      if (!editing) return null;
      const changes: { name?: string; parent?: string | null } = {};
      if (draft.name.trim() !== editing.name) changes.name = draft.name.trim();
      if (draft.parent !== editing.parent) changes.parent = draft.parent;
      return Object.keys(changes).length ? api.patch<Team>(`/admin/v1/teams/${enc(editing.key)}`, changes) : editing;
    },
    (t) => {
      setEditing(null);
      if (t) notifications.show({ color: 'teal', title: 'Team saved', message: `“${t.name}” is saved.` });
      void teams.reload();
    },
  );
  const archive = useSubmit(
    () => api.del<Team>(`/admin/v1/teams/${enc(archiving?.key ?? '')}`),
    (t) => {
      setArchiving(null);
      notifications.show({ color: 'teal', title: 'Team archived', message: `“${t.name}” keeps its history and takes no new members.` });
      void teams.reload();
    },
  );
  const restore = async (t: Team) => {
    try {
      await api.patch<Team>(`/admin/v1/teams/${enc(t.key)}`, { status: 'active' });
      notifications.show({ color: 'teal', title: 'Team restored', message: `“${t.name}” takes members again.` });
      void teams.reload();
    } catch (e) {
      notifications.show({ color: 'red', title: 'Could not restore it', message: e instanceof Error ? e.message : String(e) });
    }
  };

  const openCreate = () => {
    create.reset();
    setDraft({ key: '', name: '', parent: null });
    setCreating(true);
  };
  const openEdit = (t: Team) => {
    update.reset();
    setDraft({ key: t.key, name: t.name, parent: t.parent });
    setEditing(t);
  };
  const openArchive = (t: Team) => {
    archive.reset();
    setArchiving(t);
  };

  const parentSelect = (self: string | null, error: string | undefined) => (
    <Select
      label="Parent team"
      description="The team it belongs to (company → region → team), up to 8 levels. Empty: a root team."
      placeholder="None: a root team"
      data={parentOptions(self)}
      value={draft.parent}
      onChange={(v) => setDraft({ ...draft, parent: v })}
      error={error}
      clearable
      searchable
      nothingFoundMessage="No active team by that name"
    />
  );

  return (
    <Panel
      title="Teams"
      description="Teams group your members (company → region → team) for competitions. Your app puts users in teams with the users API or on their events; memberships are dated."
      action={
        <Button leftSection={<IconPlus size={16} />} onClick={openCreate}>
          New team
        </Button>
      }
    >
      {teams.error ? (
        <ErrorState error={teams.error} onRetry={teams.reload} />
      ) : !teams.data ? (
        <PageLoader />
      ) : list.length === 0 ? (
        <EmptyState title="No teams yet">Create a team here, or with POST /admin/v1/teams; sub-teams name it as their parent.</EmptyState>
      ) : (
        <Table aria-label="Teams">
          <Table.Thead>
            <Table.Tr>
              <Table.Th>Team</Table.Th>
              <Table.Th>Key</Table.Th>
              <Table.Th ta="right">Members</Table.Th>
              <Table.Th>Status</Table.Th>
              <Table.Th />
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {list.map((t) => {
              const archived = t.status === 'archived';
              return (
                <Table.Tr key={t.key} data-testid={`team-${t.key}`}>
                  <Table.Td style={{ paddingLeft: `calc(var(--table-horizontal-spacing, 0.75rem) + ${(t.path.length - 1) * 1.5}rem)` }}>
                    <Text fw={500} size="sm" c={archived ? 'dimmed' : undefined}>
                      {t.name}
                    </Text>
                    {t.path.length > 1 && (
                      <Text size="xs" c="dimmed" data-testid={`team-path-${t.key}`}>
                        {pathLabel(t, byKey)}
                      </Text>
                    )}
                  </Table.Td>
                  <Table.Td>
                    <Code c={archived ? 'dimmed' : undefined}>{t.key}</Code>
                  </Table.Td>
                  <Table.Td ta="right">
                    <Text size="sm" c={archived ? 'dimmed' : undefined}>
                      {formatNumber(t.memberCount)}
                    </Text>
                  </Table.Td>
                  <Table.Td>
                    <Badge variant="light" color={archived ? 'gray' : 'teal'}>
                      {t.status}
                    </Badge>
                  </Table.Td>
                  <Table.Td ta="right">
                    <Group gap={4} justify="flex-end" wrap="nowrap">
                      {archived ? (
                        <Button size="xs" variant="subtle" onClick={() => void restore(t)} aria-label={`Restore team ${t.name}`}>
                          Restore
                        </Button>
                      ) : (
                        <>
                          <Button size="xs" variant="subtle" onClick={() => openEdit(t)} aria-label={`Edit team ${t.name}`}>
                            Edit
                          </Button>
                          <Button
                            size="xs"
                            variant="subtle"
                            color="red"
                            onClick={() => openArchive(t)}
                            aria-label={`Archive team ${t.name}`}
                          >
                            Archive
                          </Button>
                        </>
                      )}
                    </Group>
                  </Table.Td>
                </Table.Tr>
              );
            })}
          </Table.Tbody>
        </Table>
      )}

      <Modal opened={creating} onClose={() => setCreating(false)} title={<Text fw={700}>New team</Text>} centered>
        <form onSubmit={create.submit} noValidate>
          <Stack>
            <FormError error={create.error} placed={['key', 'name', 'parent']} />
            <TextInput
              label="Key"
              description="What your app sends, e.g. sales-north. It never changes."
              required
              value={draft.key}
              onChange={(e) => setDraft({ ...draft, key: e.currentTarget.value })}
              error={create.fieldError('key')}
              data-autofocus
            />
            <TextInput
              label="Name"
              placeholder="Sales North"
              required
              value={draft.name}
              onChange={(e) => setDraft({ ...draft, name: e.currentTarget.value })}
              error={create.fieldError('name')}
            />
            {parentSelect(null, create.fieldError('parent'))}
            <Group justify="flex-end">
              <Button variant="default" onClick={() => setCreating(false)}>
                Cancel
              </Button>
              <Button type="submit" loading={create.busy}>
                Create team
              </Button>
            </Group>
          </Stack>
        </form>
      </Modal>

      <Modal opened={editing !== null} onClose={() => setEditing(null)} title={<Text fw={700}>Edit “{editing?.name}”</Text>} centered>
        <form onSubmit={update.submit} noValidate>
          <Stack>
            <FormError error={update.error} placed={['name', 'parent']} />
            <TextInput
              label="Name"
              required
              value={draft.name}
              onChange={(e) => setDraft({ ...draft, name: e.currentTarget.value })}
              error={update.fieldError('name')}
              data-autofocus
            />
            {parentSelect(editing?.key ?? null, update.fieldError('parent'))}
            <Text size="xs" c="dimmed">
              Its sub-teams move with it. The key, <Code>{editing?.key}</Code>, stays.
            </Text>
            <Group justify="flex-end">
              <Button variant="default" onClick={() => setEditing(null)}>
                Cancel
              </Button>
              <Button type="submit" loading={update.busy}>
                Save team
              </Button>
            </Group>
          </Stack>
        </form>
      </Modal>

      <Modal
        opened={archiving !== null}
        onClose={() => setArchiving(null)}
        title={<Text fw={700}>Archive “{archiving?.name}”?</Text>}
        centered
      >
        <Stack>
          <Text data-testid="archive-consequence">
            {!archiving?.memberCount
              ? 'It has no current members.'
              : archiving.memberCount === 1
                ? 'Its one current member leaves it now: that membership ends at this moment.'
                : `Its ${formatNumber(archiving.memberCount)} current members leave it now: their memberships end at this moment.`}{' '}
            Its history stays (past memberships, and what the team did), but it takes no new members. You can restore it later; former
            members do not come back by themselves.
          </Text>
          <FormError error={archive.error} placed={[]} />
          <Group justify="flex-end">
            <Button variant="default" onClick={() => setArchiving(null)}>
              Cancel
            </Button>
            <Button color="red" onClick={() => void archive.submit()} loading={archive.busy}>
              Archive team
            </Button>
          </Group>
        </Stack>
      </Modal>
    </Panel>
  );
}
