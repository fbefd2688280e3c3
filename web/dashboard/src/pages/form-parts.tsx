/** Pieces of the achievement form: sections, rewards, attribute pairs, badge upload. */
import { ActionIcon, Button, Group, Image, JsonInput, NumberInput, Paper, Select, Stack, Text, TextInput, Title } from '@mantine/core';
import { Dropzone } from '@mantine/dropzone';
import { IconPhoto, IconPlus, IconTrash, IconUpload } from '@tabler/icons-react';
import { type ReactNode, useState } from 'react';
import { ApiError, api } from '../api';
import { emptyReward, type Pair, type RewardDraft } from './form-model';

export function Section({ title, description, children, id }: { title: string; description?: string; children: ReactNode; id?: string }) {
  return (
    <Paper withBorder p="lg" id={id} component="section" aria-labelledby={id ? `${id}-title` : undefined}>
      <Stack gap="md">
        <div>
          <Title order={4} id={id ? `${id}-title` : undefined}>
            {title}
          </Title>
          {description && (
            <Text size="sm" c="dimmed">
              {description}
            </Text>
          )}
        </div>
        {children}
      </Stack>
    </Paper>
  );
}

export function RewardsEditor({
  rewards,
  onChange,
  systems,
  field,
  errors,
  label,
}: {
  rewards: RewardDraft[];
  onChange: (rewards: RewardDraft[]) => void;
  systems: { value: string; label: string }[];
  field: string;
  errors: Record<string, string>;
  label: string;
}) {
  const update = (i: number, patch: Partial<RewardDraft>) => onChange(rewards.map((r, j) => (j === i ? { ...r, ...patch } : r)));
  return (
    <Stack gap="xs">
      {rewards.length === 0 && (
        <Text size="sm" c="dimmed">
          No rewards: unlocking it is its own reward.
        </Text>
      )}
      {rewards.map((r, i) => {
        const f = `${field}[${i}]`;
        return (
          <Group key={i} align="flex-start" gap="sm" wrap="wrap">
            <Select
              label="Reward type"
              data={[
                { value: 'points', label: 'Points' },
                { value: 'badge', label: 'Badge' },
                { value: 'custom', label: 'Custom data' },
              ]}
              value={r.type}
              onChange={(v) => update(i, { type: (v as RewardDraft['type']) ?? 'points' })}
              allowDeselect={false}
              w={150}
              aria-label={`${label} ${i + 1}: type`}
            />
            {r.type === 'points' && (
              <>
                <Select
                  label="Points system"
                  placeholder={systems.length ? 'Choose' : 'Create one in Settings'}
                  data={systems}
                  value={r.system || null}
                  onChange={(v) => update(i, { system: v ?? '' })}
                  error={errors[`${f}.system`]}
                  w={180}
                />
                <NumberInput
                  label="Amount"
                  value={r.amount}
                  onChange={(v) => update(i, { amount: v === '' ? '' : Number(v) })}
                  error={errors[`${f}.amount`]}
                  w={120}
                  allowDecimal={false}
                />
              </>
            )}
            {r.type === 'badge' && (
              <Text size="sm" c="dimmed" mt={30}>
                The achievement's badge image is handed out with the unlock.
              </Text>
            )}
            {r.type === 'custom' && (
              <JsonInput
                label="Data (JSON object)"
                value={r.data}
                onChange={(v) => update(i, { data: v })}
                error={errors[`${f}.data`]}
                autosize
                minRows={3}
                w={300}
                formatOnBlur
                validationError="Not valid JSON"
              />
            )}
            <ActionIcon
              variant="subtle"
              color="red"
              mt={28}
              onClick={() => onChange(rewards.filter((_, j) => j !== i))}
              aria-label={`Remove ${label.toLowerCase()} ${i + 1}`}
            >
              <IconTrash size={16} />
            </ActionIcon>
          </Group>
        );
      })}
      <Group>
        <Button variant="light" size="xs" leftSection={<IconPlus size={14} />} onClick={() => onChange([...rewards, emptyReward()])}>
          Add reward
        </Button>
      </Group>
    </Stack>
  );
}

export function PairsEditor({
  pairs,
  onChange,
  noun,
  field,
  errors,
}: {
  pairs: Pair[];
  onChange: (p: Pair[]) => void;
  noun: string;
  field: string;
  errors: Record<string, string>;
}) {
  const update = (i: number, patch: Partial<Pair>) => onChange(pairs.map((p, j) => (j === i ? { ...p, ...patch } : p)));
  return (
    <Stack gap="xs">
      {pairs.map((p, i) => (
        <Group key={i} gap="sm" align="flex-end">
          <TextInput
            label={`${noun} attribute`}
            placeholder="e.g. plan"
            value={p.key}
            onChange={(e) => update(i, { key: e.currentTarget.value })}
            w={180}
            error={errors[`${field}.${p.key}`]}
          />
          <TextInput
            label="must equal"
            placeholder="e.g. premium"
            value={p.value}
            onChange={(e) => update(i, { value: e.currentTarget.value })}
            w={180}
          />
          <ActionIcon
            variant="subtle"
            color="red"
            mb={4}
            onClick={() => onChange(pairs.filter((_, j) => j !== i))}
            aria-label={`Remove ${noun.toLowerCase()} filter ${i + 1}`}
          >
            <IconTrash size={16} />
          </ActionIcon>
        </Group>
      ))}
      <Group>
        <Button variant="light" size="xs" leftSection={<IconPlus size={14} />} onClick={() => onChange([...pairs, { key: '', value: '' }])}>
          Add {noun.toLowerCase()} filter
        </Button>
      </Group>
    </Stack>
  );
}

export function BadgeUpload({ url, onChange, error }: { url: string | null; onChange: (url: string | null) => void; error?: string }) {
  const [uploading, setUploading] = useState(false);
  const [problem, setProblem] = useState<string | null>(null);
  const upload = async (file: File) => {
    setUploading(true);
    setProblem(null);
    try {
      const form = new FormData();
      form.append('file', file);
      const uploaded = await api.post<{ url: string }>('/admin/v1/badges', form);
      onChange(uploaded.url);
    } catch (e) {
      setProblem(e instanceof ApiError ? e.message : String(e));
    } finally {
      setUploading(false);
    }
  };
  return (
    <Stack gap={6}>
      <Text size="sm" fw={500}>
        Badge image
      </Text>
      <Group align="flex-start" gap="md" wrap="nowrap">
        <Paper withBorder w={88} h={88} radius="md" style={{ display: 'grid', placeItems: 'center', flexShrink: 0 }}>
          {url ? <Image src={url} alt="Badge preview" w={72} h={72} fit="contain" /> : <IconPhoto size={32} opacity={0.3} aria-hidden />}
        </Paper>
        <Stack gap={6} style={{ flex: 1 }}>
          <Dropzone
            onDrop={(files) => files[0] && void upload(files[0])}
            onReject={() => setProblem('Choose one PNG, WebP or SVG image of at most 512 KB.')}
            maxSize={512 * 1024}
            maxFiles={1}
            multiple={false}
            accept={['image/png', 'image/webp', 'image/svg+xml']}
            loading={uploading}
            p="sm"
            aria-label="Upload a badge image"
            inputProps={{ 'aria-label': 'Badge image file' }}
          >
            <Group gap="sm" wrap="nowrap" style={{ pointerEvents: 'none' }}>
              <IconUpload size={20} opacity={0.6} />
              <div>
                <Text size="sm">Drop an image here or click to choose</Text>
                <Text size="xs" c="dimmed">
                  PNG, WebP or SVG, up to 512 KB. Laurel rebuilds it (no scripts or outside links) and serves it.
                </Text>
              </div>
            </Group>
          </Dropzone>
          {url && (
            <Group gap="xs">
              <Text size="xs" c="dimmed" ff="monospace">
                {url}
              </Text>
              <Button size="compact-xs" variant="subtle" color="red" onClick={() => onChange(null)}>
                Remove
              </Button>
            </Group>
          )}
          {(problem || error) && (
            <Text size="sm" c="red" role="alert">
              {problem ?? error}
            </Text>
          )}
        </Stack>
      </Group>
    </Stack>
  );
}
