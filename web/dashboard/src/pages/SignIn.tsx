import { Alert, Anchor, Button, Center, Paper, PasswordInput, Stack, Text, ThemeIcon, Title } from '@mantine/core';
import { IconAward, IconLock } from '@tabler/icons-react';
import { useState } from 'react';
import { ApiError, request } from '../api';

export function SignIn({ onSignedIn }: { onSignedIn: (key: string) => void }) {
  const [key, setKey] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [checking, setChecking] = useState(false);

  const submit = async (e: React.FormEvent) => {
    e.preventDefault();
    if (checking) return;
    const trimmed = key.trim();
    if (!trimmed) {
      setError('Enter your admin key.');
      return;
    }
    setChecking(true);
    setError(null);
    try {
      await request('GET', '/admin/v1/settings', undefined, trimmed);
      onSignedIn(trimmed);
    } catch (err) {
      if (err instanceof ApiError && err.status === 401)
        setError('That key is not valid. Check it and try again (it may have been revoked).');
      else if (err instanceof ApiError && err.status === 403) setError('That is an application key. The dashboard needs an admin key.');
      else setError(err instanceof Error ? err.message : String(err));
    } finally {
      setChecking(false);
    }
  };

  return (
    <Center mih="100vh" p="md">
      <Paper withBorder shadow="sm" p="xl" w={420} maw="100%" radius="lg">
        <form onSubmit={submit} noValidate>
          <Stack gap="md">
            <Stack gap={6} align="center">
              <ThemeIcon size={48} radius="xl" color="teal" aria-hidden>
                <IconAward size={28} />
              </ThemeIcon>
              <Title order={2}>Sign in to Laurel</Title>
              <Text c="dimmed" size="sm" ta="center">
                Use your community's admin key. A new Laurel writes one to <code>data/master.key</code> on first start.
              </Text>
            </Stack>
            {error && (
              <Alert color="red" variant="light" icon={<IconLock size={16} />} role="alert" data-testid="signin-error">
                {error}
              </Alert>
            )}
            <PasswordInput
              label="Admin key"
              placeholder="laurel_admin_…"
              value={key}
              onChange={(e) => setKey(e.currentTarget.value)}
              autoFocus
              autoComplete="off"
              required
            />
            <Button type="submit" loading={checking} fullWidth>
              Sign in
            </Button>
            <Text size="xs" c="dimmed" ta="center">
              The key stays in this browser tab only and is forgotten when you close it.{' '}
              <Anchor href="/docs" size="xs" underline="always">
                API documentation
              </Anchor>
            </Text>
          </Stack>
        </form>
      </Paper>
    </Center>
  );
}
