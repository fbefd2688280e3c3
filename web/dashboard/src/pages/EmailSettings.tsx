/** Email on unlock, read only: it is configured on the server (LAUREL_SMTP_URL and friends), not here. */
import { Alert, Anchor, Badge, Code, Group, List, Stack, Table, Text } from '@mantine/core';
import { api, type EmailStatus, enc } from '../api';
import { ErrorState, linkProps, PageLoader, Panel, STATUS_COLORS, useApiData } from '../lib';

export function EmailSettings() {
  const email = useApiData(() => api.get<EmailStatus>('/admin/v1/email'), []);
  return (
    <Panel
      title="Email on unlock"
      description="Laurel emails a member when they unlock an achievement that asks for it, if they have an address and have not unsubscribed. These settings come from the server's environment."
    >
      {email.error ? (
        <ErrorState error={email.error} onRetry={email.reload} />
      ) : !email.data ? (
        <PageLoader />
      ) : (
        <EmailDetails status={email.data} />
      )}
    </Panel>
  );
}

function EmailDetails({ status }: { status: EmailStatus }) {
  return (
    <Stack>
      <Table aria-label="Email settings" variant="vertical" layout="fixed" maw={720} withTableBorder>
        <Table.Tbody>
          <Table.Tr>
            <Table.Th w={200}>Email on unlock</Table.Th>
            <Table.Td data-testid="email-enabled">
              <Badge variant="light" color={status.enabled ? 'teal' : 'gray'}>
                {status.enabled ? 'On' : 'Off'}
              </Badge>
            </Table.Td>
          </Table.Tr>
          <Table.Tr>
            <Table.Th>SMTP server</Table.Th>
            <Table.Td data-testid="email-smtp">
              {status.smtp ? (
                <>
                  <Code>
                    {status.smtp.host}:{status.smtp.port}
                  </Code>{' '}
                  <Text span size="sm" c="dimmed">
                    {status.smtp.secure ? 'TLS (smtps)' : 'STARTTLS when offered (smtp)'}
                  </Text>
                </>
              ) : (
                <Text span size="sm" c="dimmed">
                  None: set LAUREL_SMTP_URL to send emails
                </Text>
              )}
            </Table.Td>
          </Table.Tr>
          <Table.Tr>
            <Table.Th>From</Table.Th>
            <Table.Td data-testid="email-from">
              <Code>{status.from}</Code>
            </Table.Td>
          </Table.Tr>
          <Table.Tr>
            <Table.Th>Links point to</Table.Th>
            <Table.Td data-testid="email-public-url">
              <Code style={{ wordBreak: 'break-all' }}>{status.publicUrl}</Code>
            </Table.Td>
          </Table.Tr>
        </Table.Tbody>
      </Table>
      {status.enabled && !status.publicUrlSet && (
        <Alert color="yellow" variant="light" title="Unsubscribe links point to this machine">
          LAUREL_PUBLIC_URL is not set, so links in emails use the loopback address, which members cannot reach. Set it to the address
          Laurel is reached at.
        </Alert>
      )}
      <div>
        <Text fw={600} size="sm" mb={4}>
          Achievements that send an email
        </Text>
        {status.achievements.length === 0 ? (
          <Text size="sm" c="dimmed">
            None. Turn on “Email on unlock” in an achievement's form.
          </Text>
        ) : (
          <List spacing={4} data-testid="email-achievements">
            {status.achievements.map((a) => (
              <List.Item key={a.key}>
                <Group gap="xs">
                  <Anchor {...linkProps(`/achievements/${enc(a.key)}`)} size="sm">
                    {a.name}
                  </Anchor>
                  <Badge size="xs" variant="light" color={STATUS_COLORS[a.status]}>
                    {a.status}
                  </Badge>
                </Group>
              </List.Item>
            ))}
          </List>
        )}
        {!status.enabled && status.achievements.length > 0 && (
          <Text size="xs" c="dimmed" mt={4}>
            Email is off on this server, so these send nothing for now.
          </Text>
        )}
      </div>
    </Stack>
  );
}
