import { AppShell, Burger, Button, Group, NavLink, Text, ThemeIcon } from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import { IconAward, IconLogout, IconSettings, IconUsers, IconWebhook } from '@tabler/icons-react';
import { useEffect, useState } from 'react';
import { onUnauthorized, storedKey, storeKey } from './api';
import { linkProps, navigate, useLocation } from './lib';
import { AchievementForm } from './pages/AchievementForm';
import { AchievementList } from './pages/AchievementList';
import { AchievementPage } from './pages/AchievementPage';
import { SettingsPage } from './pages/Settings';
import { SignIn } from './pages/SignIn';
import { UsersPage } from './pages/Users';
import { WebhookPage, WebhooksPage } from './pages/Webhooks';

export function App() {
  const [key, setKey] = useState<string | null>(storedKey());
  const [opened, { toggle, close }] = useDisclosure();
  const { path } = useLocation();

  const signOut = () => {
    storeKey(null);
    setKey(null);
  };
  useEffect(() => onUnauthorized(signOut), []);
  useEffect(close, [path]);

  if (!key) {
    return (
      <SignIn
        onSignedIn={(k) => {
          storeKey(k);
          setKey(k);
        }}
      />
    );
  }

  const section = path.startsWith('/users')
    ? 'users'
    : path.startsWith('/webhooks')
      ? 'webhooks'
      : path.startsWith('/settings')
        ? 'settings'
        : 'achievements';
  return (
    <AppShell header={{ height: 60 }} navbar={{ width: 220, breakpoint: 'sm', collapsed: { mobile: !opened } }} padding="lg">
      <AppShell.Header>
        <Group h="100%" px="md" justify="space-between">
          <Group gap="sm">
            <Burger opened={opened} onClick={toggle} hiddenFrom="sm" size="sm" aria-label="Toggle navigation" />
            <ThemeIcon radius="xl" size={30} color="teal" aria-hidden>
              <IconAward size={18} />
            </ThemeIcon>
            <Text fw={700} size="lg">
              Laurel
            </Text>
            <Text c="dimmed" size="sm" visibleFrom="xs">
              Admin dashboard
            </Text>
          </Group>
          <Button variant="subtle" color="gray" leftSection={<IconLogout size={16} />} onClick={signOut}>
            Sign out
          </Button>
        </Group>
      </AppShell.Header>
      <AppShell.Navbar p="sm" aria-label="Main">
        <NavLink
          component="a"
          {...linkProps('/')}
          label="Achievements"
          leftSection={<IconAward size={18} />}
          active={section === 'achievements'}
          aria-current={section === 'achievements' ? 'page' : undefined}
        />
        <NavLink
          component="a"
          {...linkProps('/users')}
          label="Users"
          leftSection={<IconUsers size={18} />}
          active={section === 'users'}
          aria-current={section === 'users' ? 'page' : undefined}
        />
        <NavLink
          component="a"
          {...linkProps('/webhooks')}
          label="Webhooks"
          leftSection={<IconWebhook size={18} />}
          active={section === 'webhooks'}
          aria-current={section === 'webhooks' ? 'page' : undefined}
        />
        <NavLink
          component="a"
          {...linkProps('/settings')}
          label="Settings"
          leftSection={<IconSettings size={18} />}
          active={section === 'settings'}
          aria-current={section === 'settings' ? 'page' : undefined}
        />
      </AppShell.Navbar>
      <AppShell.Main>
        <Route path={path} />
      </AppShell.Main>
    </AppShell>
  );
}

function Route({ path }: { path: string }) {
  const parts = path.split('/').filter(Boolean).map(decodeURIComponent);
  if (parts.length === 0 || (parts[0] === 'achievements' && parts.length === 1)) return <AchievementList />;
  if (parts[0] === 'achievements' && parts[1] === 'new') return <AchievementForm key="new" />;
  if (parts[0] === 'achievements' && parts[1] && parts[2] === 'edit')
    return <AchievementForm key={`edit-${parts[1]}`} editKey={parts[1]} />;
  if (parts[0] === 'achievements' && parts[1]) return <AchievementPage key={parts[1]} achievementKey={parts[1]} />;
  if (parts[0] === 'users') return <UsersPage key={parts[1] ?? ''} userId={parts[1] ?? null} />;
  if (parts[0] === 'webhooks' && parts[1]) return <WebhookPage key={parts[1]} id={parts[1]} />;
  if (parts[0] === 'webhooks') return <WebhooksPage />;
  if (parts[0] === 'settings') return <SettingsPage tab={parts[1] ?? 'keys'} />;
  navigate('/', { replace: true });
  return null;
}
