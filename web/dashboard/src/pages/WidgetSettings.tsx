/** Member widgets: the page origins allowed to embed them, the token secret, and the demo page. */
import { Anchor, Button, Group, Modal, Stack, TagsInput, Text } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useEffect, useState } from 'react';
import { api, type Settings, type WidgetSecretRotated } from '../api';
import { ErrorState, FormError, PageLoader, Panel, useApiData, useSubmit } from '../lib';

export function WidgetSettings() {
  const settings = useApiData(() => api.get<Settings>('/admin/v1/settings'), []);
  const [origins, setOrigins] = useState<string[] | null>(null);
  const [rotating, setRotating] = useState(false);
  useEffect(() => {
    if (settings.data) setOrigins(settings.data.widgetOrigins);
  }, [settings.data]);
  const save = useSubmit(
    () => api.patch<Settings>('/admin/v1/settings', { widgetOrigins: origins ?? [] }),
    (s) => {
      settings.setData(s);
      notifications.show({ color: 'teal', title: 'Origins saved', message: 'Pages on these origins may show the widgets.' });
    },
  );
  const rotate = useSubmit(
    () => api.post<WidgetSecretRotated>('/admin/v1/widget-secret/rotate', {}),
    () => {
      setRotating(false);
      notifications.show({ color: 'teal', title: 'Secret rotated', message: 'Every widget token minted before is refused now.' });
    },
  );
  if (settings.error) return <ErrorState error={settings.error} onRetry={settings.reload} />;
  if (origins === null) return <PageLoader />;
  return (
    <Stack gap="lg">
      <Panel
        title="Widget origins"
        description="The web pages allowed to show the member widgets (achievements, points, streak, leaderboard, celebration pop-up). Browsers refuse the widgets anywhere else."
      >
        <form onSubmit={save.submit} noValidate>
          <Stack maw={640}>
            <FormError error={save.error} placed={save.error?.field?.startsWith('widgetOrigins') ? [save.error.field] : []} />
            <TagsInput
              label="Allowed origins"
              description="Scheme, host and port only, e.g. https://app.example.com. Press Enter after each."
              placeholder={origins.length ? '' : 'https://app.example.com'}
              value={origins}
              onChange={setOrigins}
              error={save.error?.field?.startsWith('widgetOrigins') ? save.error.message : undefined}
              clearable
            />
            <Group>
              <Button type="submit" loading={save.busy}>
                Save origins
              </Button>
            </Group>
          </Stack>
        </form>
      </Panel>
      <Panel
        title="Widget tokens"
        description="Your app's backend asks POST /v1/users/{id}/widget-token for a short-lived token bound to one member, and puts it in the page. Rotating the secret refuses every token minted before."
        action={
          <Button color="red" variant="light" onClick={() => setRotating(true)}>
            Rotate secret
          </Button>
        }
      >
        <Text size="sm">
          Try every widget for one of your members on the{' '}
          <Anchor href="/widgets/demo" target="_blank" rel="noopener">
            demo page
          </Anchor>
          . Copy-paste snippets for plain HTML, React and your server are in <code>docs/widgets.md</code>.
        </Text>
      </Panel>
      <Modal opened={rotating} onClose={() => setRotating(false)} title={<Text fw={700}>Rotate the widget secret?</Text>} centered>
        <Stack>
          <Text>
            Every widget token minted before is refused from now on: members see the widgets again once your app mints them a new token.
          </Text>
          <FormError error={rotate.error} placed={[]} />
          <Group justify="flex-end">
            <Button variant="default" onClick={() => setRotating(false)}>
              Cancel
            </Button>
            <Button color="red" onClick={() => void rotate.submit()} loading={rotate.busy}>
              Rotate secret
            </Button>
          </Group>
        </Stack>
      </Modal>
    </Stack>
  );
}
