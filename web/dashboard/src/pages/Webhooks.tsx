/** Webhooks: the list with each one's latest delivery, creating one (its secret shown once), and one webhook's page. */
import {
  ActionIcon,
  Alert,
  Anchor,
  Badge,
  Button,
  Code,
  CopyButton,
  Group,
  Modal,
  MultiSelect,
  Paper,
  Select,
  Stack,
  Switch,
  Table,
  Text,
  Textarea,
  TextInput,
  Title,
  Tooltip,
} from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { IconArrowLeft, IconCheck, IconCopy, IconEdit, IconPlus, IconRefresh, IconSend, IconTrash } from '@tabler/icons-react';
import { useCallback, useEffect, useState } from 'react';
import {
  ApiError,
  api,
  type CreatedWebhook,
  enc,
  type Webhook,
  type WebhookDelivery,
  type WebhookDeliveryPage,
  type WebhookEventType,
  type WebhookReplay,
} from '../api';
import { EmptyState, ErrorState, FormError, formatDate, linkProps, navigate, PageLoader, Panel, useApiData, useSubmit } from '../lib';

const base = (id: string) => `/admin/v1/webhooks/${enc(id)}`;

// ---- A delivery's state, in words ----

/** A pending delivery that was attempted has failed at least once and waits for its next try. */
const failed = (d: WebhookDelivery) => d.status === 'dead' || (d.status === 'pending' && d.attempts > 0);

function DeliveryBadge({ delivery }: { delivery: WebhookDelivery }) {
  const [color, label] =
    delivery.status === 'delivered'
      ? ['teal', 'Delivered']
      : delivery.status === 'dead'
        ? ['red', 'Dead']
        : delivery.attempts > 0
          ? ['orange', 'Failed, will retry']
          : ['blue', 'Queued'];
  return (
    <Badge variant="light" color={color} data-testid="delivery-status">
      {label}
    </Badge>
  );
}

/** The receiver's answer at the last attempt: its status code, or why none came. */
function lastResponse(d: WebhookDelivery): string {
  if (d.lastStatus !== null) return `HTTP ${d.lastStatus}`;
  return d.lastError ?? '—';
}

/** A webhook's health, from its latest delivery. */
function DeliveryHealth({ webhookId }: { webhookId: string }) {
  const latest = useApiData(() => api.get<WebhookDeliveryPage>(`${base(webhookId)}/deliveries?limit=1`), [webhookId]);
  if (latest.error) return <Text size="sm">Unknown ({latest.error.message})</Text>;
  if (!latest.data) return <Text size="sm">Loading…</Text>;
  const d = latest.data.items[0];
  if (!d)
    return (
      <Text size="sm" c="dimmed">
        No deliveries yet
      </Text>
    );
  return (
    <Stack gap={2}>
      <Group gap="xs">
        <DeliveryBadge delivery={d} />
        {d.lastStatus !== null || d.lastError !== null ? <Text size="sm">{lastResponse(d)}</Text> : null}
      </Group>
      <Text size="xs" c="dimmed">
        Latest: {d.eventType}, {formatDate(d.lastAttemptAt ?? d.created)}
      </Text>
    </Stack>
  );
}

// ---- Creating and editing ----

interface FormValues {
  url: string;
  description: string;
  eventTypes: string[];
  enabled: boolean;
}

function WebhookForm({
  opened,
  title,
  submitLabel,
  initial,
  onClose,
  save,
}: {
  opened: boolean;
  title: string;
  submitLabel: string;
  initial: FormValues;
  onClose: () => void;
  save: (values: { url: string; description: string | null; eventTypes: string[]; enabled: boolean }) => Promise<void>;
}) {
  const types = useApiData(() => api.get<WebhookEventType[]>('/admin/v1/webhook-event-types'), []);
  const [form, setForm] = useState(initial);
  useEffect(() => {
    if (opened) setForm(initial);
    // Reset to what the webhook is each time the form opens.
  }, [opened]);
  const submit = useSubmit(
    () => save({ url: form.url.trim(), description: form.description.trim() || null, eventTypes: form.eventTypes, enabled: form.enabled }),
    () => undefined,
  );
  const known = types.data ?? [];
  const describe = new Map(known.map((t) => [t.type, t.description]));
  // Types the webhook already names that Laurel does not list stay choosable, so editing keeps them.
  const options = [...known.map((t) => t.type), ...form.eventTypes.filter((t) => !describe.has(t))];

  return (
    <Modal opened={opened} onClose={onClose} title={<Text fw={700}>{title}</Text>} centered size="lg">
      <form onSubmit={submit.submit} noValidate>
        <Stack>
          <FormError error={submit.error} placed={['url', 'description', 'eventTypes']} />
          <TextInput
            label="URL"
            description="Where Laurel POSTs events: an http or https address your server answers at"
            placeholder="https://example.com/laurel-webhook"
            required
            value={form.url}
            onChange={(e) => setForm({ ...form, url: e.currentTarget.value })}
            error={submit.fieldError('url')}
            data-autofocus
          />
          <Textarea
            label="Description"
            description="What it is for (optional)"
            autosize
            minRows={2}
            value={form.description}
            onChange={(e) => setForm({ ...form, description: e.currentTarget.value })}
            error={submit.fieldError('description')}
          />
          <MultiSelect
            label="Event types"
            description="None chosen: every type, including types Laurel adds later"
            placeholder={form.eventTypes.length ? undefined : 'Every type'}
            data={options}
            value={form.eventTypes}
            onChange={(eventTypes) => setForm({ ...form, eventTypes })}
            renderOption={({ option }) => (
              <div>
                <Text size="sm">{option.value}</Text>
                {describe.has(option.value) && (
                  <Text size="xs" c="dimmed">
                    {describe.get(option.value)}
                  </Text>
                )}
              </div>
            )}
            error={submit.error?.field?.startsWith('eventTypes') ? submit.error.message : undefined}
            searchable
            comboboxProps={{ withinPortal: true }}
          />
          {types.error && <ErrorState error={types.error} onRetry={types.reload} />}
          <Switch
            label="Enabled"
            description="A disabled webhook gets no new deliveries, and its waiting ones wait."
            checked={form.enabled}
            onChange={(e) => setForm({ ...form, enabled: e.currentTarget.checked })}
          />
          <Group justify="flex-end">
            <Button variant="default" onClick={onClose}>
              Cancel
            </Button>
            <Button type="submit" loading={submit.busy}>
              {submitLabel}
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}

function SecretModal({ created, onClose }: { created: CreatedWebhook | null; onClose: () => void }) {
  return (
    <Modal
      opened={created !== null}
      onClose={onClose}
      title={<Text fw={700}>Your webhook's signing secret</Text>}
      centered
      closeOnClickOutside={false}
    >
      <Stack>
        <Alert color="yellow" variant="light" title="You will not see this again">
          Copy it now into your receiver's configuration: it verifies that deliveries come from Laurel. This is the only time Laurel shows
          it; if it is lost, delete the webhook and create another.
        </Alert>
        <Group wrap="nowrap" gap="xs">
          <Code block style={{ flex: 1, whiteSpace: 'pre-wrap', wordBreak: 'break-all' }} data-testid="webhook-secret">
            {created?.secret}
          </Code>
          <CopyButton value={created?.secret ?? ''}>
            {({ copied, copy }) => (
              <Tooltip label={copied ? 'Copied' : 'Copy'}>
                <ActionIcon variant="light" onClick={copy} aria-label="Copy the signing secret">
                  {copied ? <IconCheck size={16} /> : <IconCopy size={16} />}
                </ActionIcon>
              </Tooltip>
            )}
          </CopyButton>
        </Group>
        <Group justify="flex-end">
          <Button onClick={onClose}>I have copied it</Button>
        </Group>
      </Stack>
    </Modal>
  );
}

function EventTypes({ types }: { types: string[] }) {
  if (types.length === 0)
    return (
      <Text size="sm" c="dimmed">
        Every type
      </Text>
    );
  return (
    <Group gap={4}>
      {types.map((t) => (
        <Badge key={t} variant="outline" color="gray" tt="none">
          {t}
        </Badge>
      ))}
    </Group>
  );
}

const EMPTY_FORM: FormValues = { url: '', description: '', eventTypes: [], enabled: true };

// ---- The list ----

export function WebhooksPage() {
  const webhooks = useApiData(() => api.get<Webhook[]>('/admin/v1/webhooks'), []);
  const [creating, setCreating] = useState(false);
  const [created, setCreated] = useState<CreatedWebhook | null>(null);

  return (
    <Stack gap="lg">
      <Group justify="space-between" align="flex-start">
        <div>
          <Title order={2}>Webhooks</Title>
          <Text c="dimmed" size="sm">
            Laurel POSTs signed events (unlocks, points, levels, streaks) to your servers, retrying for a day until they answer 2xx. Email
            on unlock is under{' '}
            <Anchor {...linkProps('/settings/email')} underline="always">
              Settings › Email
            </Anchor>
            .
          </Text>
        </div>
        <Button leftSection={<IconPlus size={16} />} onClick={() => setCreating(true)}>
          New webhook
        </Button>
      </Group>
      <Paper withBorder p="lg">
        {webhooks.error ? (
          <ErrorState error={webhooks.error} onRetry={webhooks.reload} />
        ) : !webhooks.data ? (
          <PageLoader label="Loading webhooks…" />
        ) : webhooks.data.length === 0 ? (
          <EmptyState title="No webhooks yet">Create one to have Laurel tell your server when users unlock achievements.</EmptyState>
        ) : (
          <Table.ScrollContainer minWidth={720}>
            <Table aria-label="Webhooks" verticalSpacing="sm">
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>URL</Table.Th>
                  <Table.Th>Event types</Table.Th>
                  <Table.Th>Enabled</Table.Th>
                  <Table.Th>Deliveries</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {webhooks.data.map((w) => (
                  <Table.Tr key={w.id} data-id={w.id}>
                    <Table.Td maw={360}>
                      <Anchor {...linkProps(`/webhooks/${enc(w.id)}`)} fw={500} style={{ wordBreak: 'break-all' }}>
                        {w.url}
                      </Anchor>
                      {w.description && (
                        <Text size="xs" c="dimmed" lineClamp={2}>
                          {w.description}
                        </Text>
                      )}
                    </Table.Td>
                    <Table.Td>
                      <EventTypes types={w.eventTypes} />
                    </Table.Td>
                    <Table.Td miw={110}>
                      <Badge variant="light" color={w.enabled ? 'teal' : 'gray'}>
                        {w.enabled ? 'Enabled' : 'Disabled'}
                      </Badge>
                    </Table.Td>
                    <Table.Td>
                      <DeliveryHealth webhookId={w.id} />
                    </Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </Table.ScrollContainer>
        )}
      </Paper>

      <WebhookForm
        opened={creating}
        title="New webhook"
        submitLabel="Create webhook"
        initial={EMPTY_FORM}
        onClose={() => setCreating(false)}
        save={async (values) => {
          const webhook = await api.post<CreatedWebhook>('/admin/v1/webhooks', values);
          setCreating(false);
          setCreated(webhook);
          void webhooks.reload();
        }}
      />
      <SecretModal created={created} onClose={() => setCreated(null)} />
    </Stack>
  );
}

// ---- One webhook ----

export function WebhookPage({ id }: { id: string }) {
  const webhook = useApiData(() => api.get<Webhook>(base(id)), [id]);
  const [editing, setEditing] = useState(false);
  const [deleting, setDeleting] = useState(false);
  const [ping, setPing] = useState<WebhookDelivery | null>(null);
  const [pinging, setPinging] = useState(false);
  const [logVersion, setLogVersion] = useState(0);
  const refreshLog = () => setLogVersion((v) => v + 1);

  const remove = useSubmit(
    () => api.del<Webhook>(base(id)),
    (w) => {
      notifications.show({ color: 'teal', title: 'Webhook deleted', message: `Nothing more is sent to ${w.url}.` });
      navigate('/webhooks');
    },
  );
  const toggle = async (enabled: boolean) => {
    try {
      webhook.setData(await api.patch<Webhook>(base(id), { enabled }));
    } catch (e) {
      notifications.show({ color: 'red', title: 'Could not change it', message: e instanceof Error ? e.message : String(e) });
    }
  };
  const sendPing = async () => {
    setPinging(true);
    setPing(null);
    try {
      setPing(await api.post<WebhookDelivery>(`${base(id)}/ping`));
      refreshLog();
    } catch (e) {
      notifications.show({ color: 'red', title: 'Could not send the ping', message: e instanceof Error ? e.message : String(e) });
    } finally {
      setPinging(false);
    }
  };

  if (webhook.error) {
    return webhook.error.status === 404 ? (
      <EmptyState
        title="No such webhook"
        action={
          <Button {...linkProps('/webhooks')} component="a">
            Back to webhooks
          </Button>
        }
      >
        It may have been deleted.
      </EmptyState>
    ) : (
      <ErrorState error={webhook.error} onRetry={webhook.reload} />
    );
  }
  const w = webhook.data;
  if (!w) return <PageLoader label="Loading the webhook…" />;

  return (
    <Stack gap="lg">
      <div>
        <Anchor {...linkProps('/webhooks')} size="sm">
          <Group gap={4}>
            <IconArrowLeft size={14} /> Webhooks
          </Group>
        </Anchor>
      </div>
      <Group justify="space-between" align="flex-start" wrap="wrap">
        <Stack gap={4} maw={640}>
          <Title order={2} style={{ wordBreak: 'break-all' }}>
            {w.url}
          </Title>
          {w.description && <Text c="dimmed">{w.description}</Text>}
          <Group gap="xs">
            <Text size="sm">Events:</Text>
            <EventTypes types={w.eventTypes} />
          </Group>
          <Text size="xs" c="dimmed">
            Created {formatDate(w.created)} · changed {formatDate(w.updated)}
          </Text>
        </Stack>
        <Group>
          <Button leftSection={<IconSend size={16} />} onClick={() => void sendPing()} loading={pinging}>
            Send ping
          </Button>
          <Button variant="default" leftSection={<IconEdit size={16} />} onClick={() => setEditing(true)}>
            Edit
          </Button>
          <Button variant="subtle" color="red" leftSection={<IconTrash size={16} />} onClick={() => setDeleting(true)}>
            Delete
          </Button>
        </Group>
      </Group>
      <Switch
        label="Enabled"
        description="A disabled webhook gets no new deliveries, and its waiting ones wait until it is enabled again."
        checked={w.enabled}
        onChange={(e) => void toggle(e.currentTarget.checked)}
      />
      <div aria-live="polite">
        {ping && (
          <Alert
            color={ping.status === 'delivered' ? 'teal' : 'red'}
            variant="light"
            title={ping.status === 'delivered' ? 'Ping delivered' : 'Ping failed'}
            data-testid="ping-result"
            withCloseButton
            closeButtonLabel="Dismiss"
            onClose={() => setPing(null)}
          >
            {ping.status === 'delivered'
              ? `The receiver answered HTTP ${ping.lastStatus}.`
              : `${ping.lastStatus !== null ? `The receiver answered HTTP ${ping.lastStatus}` : `No answer: ${ping.lastError ?? 'unknown error'}`}. Laurel retries it like any delivery; it is in the log below.`}
          </Alert>
        )}
      </div>

      <DeliveryLog webhookId={id} version={logVersion} />
      <ReplayForm webhookId={id} onQueued={refreshLog} />

      <WebhookForm
        opened={editing}
        title="Edit webhook"
        submitLabel="Save changes"
        initial={{ url: w.url, description: w.description ?? '', eventTypes: w.eventTypes, enabled: w.enabled }}
        onClose={() => setEditing(false)}
        save={async (values) => {
          webhook.setData(await api.patch<Webhook>(base(id), values));
          setEditing(false);
          notifications.show({ color: 'teal', title: 'Webhook saved', message: 'Changes apply to the next delivery.' });
        }}
      />
      <Modal opened={deleting} onClose={() => setDeleting(false)} title={<Text fw={700}>Delete this webhook?</Text>} centered>
        <Stack>
          <Text>
            Nothing more is sent to <Code style={{ wordBreak: 'break-all' }}>{w.url}</Code>, and its delivery log is deleted. This cannot be
            undone.
          </Text>
          <FormError error={remove.error} placed={[]} />
          <Group justify="flex-end">
            <Button variant="default" onClick={() => setDeleting(false)}>
              Cancel
            </Button>
            <Button color="red" onClick={() => void remove.submit()} loading={remove.busy}>
              Delete webhook
            </Button>
          </Group>
        </Stack>
      </Modal>
    </Stack>
  );
}

// ---- The delivery log ----

const PAGE = 20;
/** Deliveries due this soon are followed on screen until they are sent. */
const FOLLOW_MS = 30_000;

type StatusFilter = '' | 'pending' | 'delivered' | 'dead';

function DeliveryLog({ webhookId, version }: { webhookId: string; version: number }) {
  const [status, setStatus] = useState<StatusFilter>('');
  const [items, setItems] = useState<WebhookDelivery[] | null>(null);
  const [next, setNext] = useState<string | null>(null);
  const [error, setError] = useState<ApiError | null>(null);
  const [loadingMore, setLoadingMore] = useState(false);
  const [retrying, setRetrying] = useState<string | null>(null);

  const url = useCallback(
    (limit: number, cursor?: string) =>
      `${base(webhookId)}/deliveries?limit=${limit}${status ? `&status=${status}` : ''}${cursor ? `&cursor=${enc(cursor)}` : ''}`,
    [webhookId, status],
  );
  /** Loads again the rows on screen (at least a page, at most what the API gives at once). */
  const refresh = useCallback(
    async (shown: number) => {
      try {
        const page = await api.get<WebhookDeliveryPage>(url(Math.min(100, Math.max(PAGE, shown))));
        setItems(page.items);
        setNext(page.nextCursor);
        setError(null);
      } catch (e) {
        setError(e instanceof ApiError ? e : new ApiError(0, 'error', String(e)));
      }
    },
    [url],
  );
  const shown = items?.length ?? 0;
  // A new version (a ping, a replay) or filter starts again from the first page.
  useEffect(() => {
    void refresh(PAGE);
  }, [refresh, version]);
  // Follows deliveries about to be sent (a retry, a ping's next try) until they are.
  useEffect(() => {
    if (!items) return;
    const soon = Date.now() + FOLLOW_MS;
    if (!items.some((d) => d.status === 'pending' && d.nextAttemptAt !== null && Date.parse(d.nextAttemptAt) <= soon)) return;
    const timer = setTimeout(() => void refresh(shown), 1500);
    return () => clearTimeout(timer);
  }, [items, shown, refresh]);

  const more = async () => {
    if (!next) return;
    setLoadingMore(true);
    try {
      const page = await api.get<WebhookDeliveryPage>(url(PAGE, next));
      setItems([...(items ?? []), ...page.items]);
      setNext(page.nextCursor);
    } catch (e) {
      notifications.show({ color: 'red', title: 'Could not load more', message: e instanceof Error ? e.message : String(e) });
    } finally {
      setLoadingMore(false);
    }
  };
  const retry = async (d: WebhookDelivery) => {
    setRetrying(d.id);
    try {
      const again = await api.post<WebhookDelivery>(`${base(webhookId)}/deliveries/${enc(d.id)}/retry`);
      setItems((list) => (list ?? []).map((x) => (x.id === again.id ? again : x)));
      notifications.show({ color: 'teal', title: 'Sending it again', message: `The ${d.eventType} delivery is due now.` });
    } catch (e) {
      notifications.show({ color: 'red', title: 'Could not retry it', message: e instanceof Error ? e.message : String(e) });
    } finally {
      setRetrying(null);
    }
  };

  return (
    <Panel
      title="Delivery log"
      description="Each event sent to this webhook, newest first. Failed deliveries are retried with growing pauses for a day, then marked dead."
      action={
        <Group align="flex-end">
          <Select
            label="Status"
            w={170}
            allowDeselect={false}
            data={[
              { value: '', label: 'All' },
              { value: 'pending', label: 'Pending' },
              { value: 'delivered', label: 'Delivered' },
              { value: 'dead', label: 'Dead' },
            ]}
            value={status}
            onChange={(v) => setStatus((v ?? '') as StatusFilter)}
          />
          <Button variant="default" leftSection={<IconRefresh size={16} />} onClick={() => void refresh(shown)}>
            Refresh
          </Button>
        </Group>
      }
    >
      {error ? (
        <ErrorState error={error} onRetry={() => void refresh(PAGE)} />
      ) : !items ? (
        <PageLoader label="Loading deliveries…" />
      ) : items.length === 0 ? (
        <EmptyState title={status ? `No ${status} deliveries` : 'No deliveries yet'}>
          Send a ping, or wait for an event this webhook subscribes to.
        </EmptyState>
      ) : (
        <Stack>
          <Table.ScrollContainer minWidth={760}>
            <Table aria-label="Deliveries" verticalSpacing="xs">
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>Event</Table.Th>
                  <Table.Th>Status</Table.Th>
                  <Table.Th>Attempts</Table.Th>
                  <Table.Th>Last response</Table.Th>
                  <Table.Th>Last attempt</Table.Th>
                  <Table.Th>Next attempt</Table.Th>
                  <Table.Th />
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {items.map((d) => (
                  <Table.Tr key={d.id} data-testid={`delivery-${d.id}`} data-event-type={d.eventType}>
                    <Table.Td>
                      <Text size="sm" fw={500}>
                        {d.eventType}
                      </Text>
                      <Text size="xs" c="dimmed">
                        queued {formatDate(d.created)}
                      </Text>
                    </Table.Td>
                    <Table.Td>
                      <DeliveryBadge delivery={d} />
                    </Table.Td>
                    <Table.Td>{d.attempts}</Table.Td>
                    <Table.Td maw={240}>
                      <Text size="sm" style={{ wordBreak: 'break-word' }} data-testid="delivery-response">
                        {lastResponse(d)}
                      </Text>
                    </Table.Td>
                    <Table.Td>{d.lastAttemptAt ? formatDate(d.lastAttemptAt) : '—'}</Table.Td>
                    <Table.Td>{d.nextAttemptAt ? formatDate(d.nextAttemptAt) : '—'}</Table.Td>
                    <Table.Td ta="right">
                      {failed(d) && (
                        <Button
                          size="xs"
                          variant="light"
                          onClick={() => void retry(d)}
                          loading={retrying === d.id}
                          aria-label={`Retry the ${d.eventType} delivery queued ${formatDate(d.created)}`}
                        >
                          Retry
                        </Button>
                      )}
                    </Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </Table.ScrollContainer>
          {next && (
            <Group justify="center">
              <Button variant="default" onClick={() => void more()} loading={loadingMore}>
                Load older deliveries
              </Button>
            </Group>
          )}
        </Stack>
      )}
    </Panel>
  );
}

// ---- Replay ----

/** A datetime-local value (local time, to the minute). */
function localInput(ms: number): string {
  const d = new Date(ms - new Date(ms).getTimezoneOffset() * 60_000);
  return d.toISOString().slice(0, 16);
}

function ReplayForm({ webhookId, onQueued }: { webhookId: string; onQueued: () => void }) {
  const [from, setFrom] = useState(() => localInput(Date.now() - 24 * 3_600_000));
  const [to, setTo] = useState(() => localInput(Date.now() + 60_000));
  const [queued, setQueued] = useState<number | null>(null);
  // The browser reads the inputs in local time; the API takes instants.
  const instant = (value: string) => {
    const ms = Date.parse(value);
    return Number.isFinite(ms) ? new Date(ms).toISOString() : value;
  };
  const replay = useSubmit(
    () => api.post<WebhookReplay>(`${base(webhookId)}/replay`, { from: instant(from), to: instant(to) }),
    (r) => {
      setQueued(r.queued);
      onQueued();
    },
  );
  return (
    <Panel
      title="Replay a time range"
      description="Send again every event of the range this webhook subscribes to (backfilled unlocks never). Receivers deduplicate by webhook-id."
    >
      <form onSubmit={replay.submit} noValidate>
        <Stack>
          <FormError error={replay.error} placed={['from', 'to']} />
          <Group align="flex-start">
            <TextInput
              type="datetime-local"
              label="From"
              required
              value={from}
              onChange={(e) => setFrom(e.currentTarget.value)}
              error={replay.fieldError('from')}
              w={240}
            />
            <TextInput
              type="datetime-local"
              label="To"
              required
              value={to}
              onChange={(e) => setTo(e.currentTarget.value)}
              error={replay.fieldError('to')}
              w={240}
            />
          </Group>
          <Group>
            <Button type="submit" variant="light" loading={replay.busy}>
              Replay
            </Button>
            <Text size="sm" role="status" data-testid="replay-result">
              {queued === null ? '' : queued === 1 ? '1 delivery queued.' : `${queued} deliveries queued.`}
            </Text>
          </Group>
        </Stack>
      </form>
    </Panel>
  );
}
