import {
  Anchor,
  Badge,
  Button,
  Group,
  Image,
  Paper,
  ScrollArea,
  Select,
  Stack,
  Table,
  Text,
  TextInput,
  Title,
  Tooltip,
} from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { IconAlertTriangle, IconArrowDown, IconArrowsSort, IconArrowUp, IconPlus, IconSearch } from '@tabler/icons-react';
import { useEffect, useMemo, useState } from 'react';
import { type Achievement, api, type Reward } from '../api';
import {
  EmptyState,
  ErrorState,
  formatDate,
  formatNumber,
  linkProps,
  navigate,
  PageLoader,
  STATUS_COLORS,
  useApiData,
  useLocation,
} from '../lib';

const FILTERS = ['status', 'scope', 'tag', 'category', 'q', 'sort'] as const;
type Query = Partial<Record<(typeof FILTERS)[number], string>>;
const STORAGE = 'laurel.achievements.query';

function queryFrom(search: URLSearchParams): Query {
  const out: Query = {};
  for (const f of FILTERS) {
    const v = search.get(f);
    if (v) out[f] = v;
  }
  return out;
}

function toSearch(query: Query): string {
  const params = new URLSearchParams();
  for (const f of FILTERS) if (query[f]) params.set(f, query[f] as string);
  const s = params.toString();
  return s ? `?${s}` : '';
}

export function rewardSummary(a: Pick<Achievement, 'rewards' | 'tiers'>): string {
  const all: Reward[] = a.tiers.length > 0 ? a.tiers.flatMap((t) => t.rewards) : a.rewards;
  const points = new Map<string, number>();
  let badge = false;
  let custom = false;
  for (const r of all) {
    if (r.type === 'points' && r.system) points.set(r.system, (points.get(r.system) ?? 0) + (r.amount ?? 0));
    if (r.type === 'badge') badge = true;
    if (r.type === 'custom') custom = true;
  }
  const parts = [...points].map(([system, amount]) => `${formatNumber(amount)} ${system}`);
  if (badge) parts.push('badge');
  if (custom) parts.push('custom');
  return parts.join(' · ') || '—';
}

interface Column {
  id: string;
  label: string;
  sort?: string;
  width: number;
  sticky?: boolean;
  align?: 'right';
}

const COLUMNS: Column[] = [
  { id: 'title', label: 'Title', sort: 'name', width: 240, sticky: true },
  { id: 'status', label: 'Status', sort: 'status', width: 104, sticky: true },
  { id: 'scope', label: 'Scope', sort: 'scope', width: 110, sticky: true },
  { id: 'reward', label: 'Reward', width: 150, sticky: true },
  { id: 'condition', label: 'Condition', width: 300 },
  { id: 'completions', label: 'Completions', sort: 'completions', width: 130, align: 'right' },
  { id: 'rarity', label: 'Rarity', sort: 'rarity', width: 100, align: 'right' },
  { id: 'category', label: 'Category', sort: 'category', width: 130 },
  { id: 'tags', label: 'Tags', width: 180 },
  { id: 'key', label: 'Key', sort: 'key', width: 170 },
  { id: 'createdAt', label: 'Created', sort: 'createdAt', width: 170 },
  { id: 'updatedAt', label: 'Updated', sort: 'updatedAt', width: 170 },
];
const stickyLeft = (index: number) => COLUMNS.slice(0, index).reduce((sum, c) => sum + c.width, 0);

export function AchievementList() {
  const { search } = useLocation();
  const [query, setQuery] = useState<Query>(() => {
    const fromUrl = queryFrom(search);
    if (Object.keys(fromUrl).length > 0) return fromUrl;
    try {
      return JSON.parse(localStorage.getItem(STORAGE) ?? '{}') as Query;
    } catch {
      return {};
    }
  });
  const [text, setText] = useState(query.q ?? '');
  const [debounced] = useDebouncedValue(text, 250);

  useEffect(() => {
    setQuery((q) => ({ ...q, q: debounced.trim() || undefined }));
  }, [debounced]);
  useEffect(() => {
    localStorage.setItem(STORAGE, JSON.stringify(query));
    navigate(`/achievements${toSearch(query)}`, { replace: true });
  }, [query]);

  const list = useApiData(() => api.get<Achievement[]>(`/admin/v1/achievements${toSearch(query)}`), [JSON.stringify(query)]);
  const everything = useApiData(() => api.get<Achievement[]>('/admin/v1/achievements'), []);
  const options = useMemo(() => {
    const all = everything.data ?? [];
    return {
      tags: [...new Set(all.flatMap((a) => a.tags))].sort(),
      categories: [...new Set(all.map((a) => a.category).filter((c): c is string => !!c))].sort(),
    };
  }, [everything.data]);

  const set = (field: keyof Query, value: string | null) => setQuery((q) => ({ ...q, [field]: value || undefined }));
  const sortField = (query.sort ?? '').replace(/^-/, '');
  const descending = query.sort?.startsWith('-') ?? false;
  const toggleSort = (field: string) => {
    if (sortField !== field) set('sort', field);
    else set('sort', descending ? field : `-${field}`);
  };
  const filtered = Object.entries(query).some(([k, v]) => k !== 'sort' && v);
  const total = everything.data?.length ?? 0;

  return (
    <Stack gap="lg">
      <Group justify="space-between" align="flex-end">
        <div>
          <Title order={2}>Achievements</Title>
          <Text c="dimmed" size="sm">
            Everything users can unlock, with how many have.
          </Text>
        </div>
        <Button leftSection={<IconPlus size={16} />} {...linkProps('/achievements/new')} component="a">
          New achievement
        </Button>
      </Group>

      <Paper withBorder p="md">
        <Group gap="sm" align="flex-end" wrap="wrap">
          <TextInput
            label="Search"
            placeholder="Name, key or description"
            leftSection={<IconSearch size={16} />}
            value={text}
            onChange={(e) => setText(e.currentTarget.value)}
            w={240}
          />
          <Select
            label="Status"
            placeholder="Any status"
            clearable
            data={['draft', 'active', 'locked', 'archived'].map((s) => ({ value: s, label: s.charAt(0).toUpperCase() + s.slice(1) }))}
            value={query.status ?? null}
            onChange={(v) => set('status', v)}
            w={150}
          />
          <Select
            label="Scope"
            placeholder="Any scope"
            clearable
            data={[
              { value: 'community', label: 'Community' },
              { value: 'org', label: 'Organisation' },
            ]}
            value={query.scope ?? null}
            onChange={(v) => set('scope', v)}
            w={150}
          />
          <Select
            label="Tag"
            placeholder="Any tag"
            clearable
            searchable
            data={options.tags}
            value={query.tag ?? null}
            onChange={(v) => set('tag', v)}
            w={150}
          />
          <Select
            label="Category"
            placeholder="Any category"
            clearable
            searchable
            data={options.categories}
            value={query.category ?? null}
            onChange={(v) => set('category', v)}
            w={160}
          />
          {filtered && (
            <Button
              variant="subtle"
              onClick={() => {
                setText('');
                setQuery((q) => ({ sort: q.sort }));
              }}
            >
              Clear filters
            </Button>
          )}
        </Group>
      </Paper>

      {list.error ? (
        <ErrorState error={list.error} onRetry={list.reload} />
      ) : !list.data ? (
        <PageLoader label="Loading achievements…" />
      ) : list.data.length === 0 ? (
        <Paper withBorder>
          {total === 0 && !filtered ? (
            <EmptyState
              title="No achievements yet"
              action={
                <Button {...linkProps('/achievements/new')} component="a" leftSection={<IconPlus size={16} />}>
                  Create your first achievement
                </Button>
              }
            >
              Create one, publish it, and users who meet its condition unlock it as their app sends events.
            </EmptyState>
          ) : (
            <EmptyState title="Nothing matches these filters">
              Try another search, or clear the filters to see all {total} achievements.
            </EmptyState>
          )}
        </Paper>
      ) : (
        <Paper withBorder>
          <ScrollArea type="auto" offsetScrollbars="x">
            <Table
              highlightOnHover
              verticalSpacing="sm"
              style={{ minWidth: COLUMNS.reduce((s, c) => s + c.width, 0), tableLayout: 'fixed' }}
              aria-label="Achievements"
              data-testid="achievements-table"
            >
              <Table.Thead>
                <Table.Tr>
                  {COLUMNS.map((c, i) => (
                    <Table.Th
                      key={c.id}
                      className={c.sticky ? `sticky-col${i === 3 ? ' last' : ''}` : undefined}
                      style={{ width: c.width, left: c.sticky ? stickyLeft(i) : undefined, textAlign: c.align }}
                      aria-sort={c.sort && sortField === c.sort ? (descending ? 'descending' : 'ascending') : undefined}
                    >
                      {c.sort ? (
                        <button
                          type="button"
                          className="sort-button"
                          onClick={() => toggleSort(c.sort as string)}
                          aria-label={`Sort by ${c.label}`}
                        >
                          {c.label}
                          {sortField === c.sort ? (
                            descending ? (
                              <IconArrowDown size={14} />
                            ) : (
                              <IconArrowUp size={14} />
                            )
                          ) : (
                            <IconArrowsSort size={14} opacity={0.4} />
                          )}
                        </button>
                      ) : (
                        c.label
                      )}
                    </Table.Th>
                  ))}
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {list.data.map((a) => (
                  <Row key={a.id} a={a} />
                ))}
              </Table.Tbody>
            </Table>
          </ScrollArea>
          <Text size="xs" c="dimmed" p="sm">
            {list.data.length} of {total} achievements
          </Text>
        </Paper>
      )}
    </Stack>
  );
}

function Row({ a }: { a: Achievement }) {
  const cell = (i: number, content: React.ReactNode) => {
    const c = COLUMNS[i] as Column;
    return (
      <Table.Td
        className={c.sticky ? `sticky-col${i === 3 ? ' last' : ''}` : undefined}
        style={{ left: c.sticky ? stickyLeft(i) : undefined, textAlign: c.align }}
      >
        {content}
      </Table.Td>
    );
  };
  return (
    <Table.Tr data-key={a.key}>
      {cell(
        0,
        <Group gap="sm" wrap="nowrap">
          {a.badgeUrl ? <Image src={a.badgeUrl} alt="" className="badge-img" /> : null}
          <Stack gap={0} style={{ minWidth: 0 }}>
            <Group gap={6} wrap="nowrap">
              <Anchor {...linkProps(`/achievements/${encodeURIComponent(a.key)}`)} fw={600} truncate>
                {a.name}
              </Anchor>
              {a.health === 'dangling' && (
                <Tooltip label={a.healthIssues.map((i) => i.message).join('; ')} multiline w={260}>
                  <Badge
                    color="red"
                    variant="light"
                    size="sm"
                    leftSection={<IconAlertTriangle size={12} />}
                    tabIndex={0}
                    data-testid="health-flag"
                  >
                    Dangling
                  </Badge>
                </Tooltip>
              )}
              {a.featured && (
                <Badge size="xs" variant="light" color="yellow">
                  Featured
                </Badge>
              )}
            </Group>
          </Stack>
        </Group>,
      )}
      {cell(
        1,
        <Badge color={STATUS_COLORS[a.status]} variant="light">
          {a.status}
        </Badge>,
      )}
      {cell(2, <Text size="sm">{a.scope === 'org' ? 'Organisation' : 'Community'}</Text>)}
      {cell(3, <Text size="sm">{rewardSummary(a)}</Text>)}
      {cell(
        4,
        <Text size="sm" lineClamp={2}>
          {a.condition}
        </Text>,
      )}
      {cell(
        5,
        <Text size="sm" data-testid="completions">
          {formatNumber(a.completions)}
        </Text>,
      )}
      {cell(
        6,
        <Text size="sm" data-testid="rarity">
          {a.rarity}%
        </Text>,
      )}
      {cell(7, <Text size="sm">{a.category ?? '—'}</Text>)}
      {cell(
        8,
        <Group gap={4}>
          {a.tags.length === 0 ? (
            <Text size="sm" c="dimmed">
              —
            </Text>
          ) : (
            a.tags.map((t) => (
              <Badge key={t} size="sm" variant="outline" color="gray">
                {t}
              </Badge>
            ))
          )}
        </Group>,
      )}
      {cell(
        9,
        <Text size="sm" ff="monospace" truncate>
          {a.key}
        </Text>,
      )}
      {cell(10, <Text size="sm">{formatDate(a.createdAt)}</Text>)}
      {cell(11, <Text size="sm">{formatDate(a.updatedAt)}</Text>)}
    </Table.Tr>
  );
}
