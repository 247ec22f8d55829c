import { Badge, Box, Code, Group, Skeleton, Stack, Table, Text } from '@mantine/core';
import { TableSkeletonRows } from '../../../components/table-skeleton.tsx';
import { TimeText } from '../../../components/time-text.tsx';
import type { AuditEntry } from '../../../lib/api-types.ts';
import { useIsPhone } from '../../../lib/use-is-phone.ts';
import { actionLabel, describeActor, describeTarget, summarizeDetails } from './audit-format.ts';

export interface AuditTableProps {
  entries: AuditEntry[] | undefined;
  loading: boolean;
  /** Dims the rows while the next page loads in place of these. */
  stale: boolean;
}

const COLUMNS = ['Time', 'Actor', 'Action', 'Target', 'Outcome', 'Details'] as const;

export function AuditTable(props: AuditTableProps) {
  // Six columns cannot fit a phone; there each entry becomes a small card instead.
  return useIsPhone() ? <AuditCards {...props} /> : <AuditWideTable {...props} />;
}

function AuditWideTable({ entries, loading, stale }: AuditTableProps) {
  return (
    <Table.ScrollContainer minWidth={880} type="native">
      <Table highlightOnHover style={{ opacity: stale ? 0.55 : 1, transition: 'opacity 120ms' }}>
        <Table.Thead>
          <Table.Tr>
            {COLUMNS.map((column) => (
              <Table.Th key={column}>{column}</Table.Th>
            ))}
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {loading && <TableSkeletonRows columns={COLUMNS.length} rows={6} />}
          {entries?.map((entry) => (
            <AuditRow key={entry.id} entry={entry} />
          ))}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}

function AuditRow({ entry }: { entry: AuditEntry }) {
  const actor = describeActor(entry.actor);
  const target = describeTarget(entry.target);
  const details = summarizeDetails(entry.details);
  return (
    <Table.Tr>
      <Table.Td style={{ whiteSpace: 'nowrap' }}>
        <TimeText iso={entry.at} dateStyle="dateTimeWithSeconds" />
      </Table.Td>
      <Table.Td>
        <Stack gap={0}>
          <Text size="sm" fw={500} fs={entry.actor === null ? 'italic' : undefined}>
            {actor.name}
          </Text>
          {actor.note !== null && (
            <Text size="xs" c="dimmed">
              {actor.note}
            </Text>
          )}
          {entry.ip !== null && (
            <Text size="xs" c="dimmed" ff="monospace">
              {entry.ip}
            </Text>
          )}
        </Stack>
      </Table.Td>
      <Table.Td>
        <Stack gap={2}>
          <Text size="sm">{actionLabel(entry.action)}</Text>
          <Text size="xs" c="dimmed" ff="monospace">
            {entry.action}
          </Text>
        </Stack>
      </Table.Td>
      <Table.Td>
        {target === null ? (
          <Text size="sm" c="dimmed">
            —
          </Text>
        ) : (
          <Text size="sm">{target}</Text>
        )}
      </Table.Td>
      <Table.Td>
        <Badge color={entry.outcome === 'success' ? 'green' : 'red'} variant="light" tt="none">
          {entry.outcome === 'success' ? 'Success' : 'Failure'}
        </Badge>
      </Table.Td>
      <Table.Td maw={320}>
        {details === null ? (
          <Text size="sm" c="dimmed">
            —
          </Text>
        ) : (
          <DetailsCode entry={entry} summary={details} />
        )}
      </Table.Td>
    </Table.Tr>
  );
}

function AuditCards({ entries, loading, stale }: AuditTableProps) {
  return (
    <Box component="ul" m={0} p={0} style={{ listStyle: 'none', opacity: stale ? 0.55 : 1 }}>
      {loading &&
        [0, 1, 2].map((row) => (
          <Box component="li" key={row} p="md" aria-hidden style={cardBorder}>
            <Skeleton height={14} width="60%" mb="xs" />
            <Skeleton height={12} width="40%" />
          </Box>
        ))}
      {entries?.map((entry) => (
        <AuditCard key={entry.id} entry={entry} />
      ))}
    </Box>
  );
}

function AuditCard({ entry }: { entry: AuditEntry }) {
  const actor = describeActor(entry.actor);
  const target = describeTarget(entry.target);
  const details = summarizeDetails(entry.details);
  return (
    <Box component="li" p="md" style={cardBorder}>
      <Stack gap={6}>
        <Group justify="space-between" gap="xs" wrap="nowrap">
          <Text size="sm" fw={600}>
            {actionLabel(entry.action)}
          </Text>
          <OutcomeBadge outcome={entry.outcome} />
        </Group>
        <Text size="sm">
          <Text span fs={entry.actor === null ? 'italic' : undefined}>
            {actor.name}
          </Text>
          {actor.note !== null && (
            <Text span c="dimmed">
              {` (${actor.note})`}
            </Text>
          )}
          {target !== null && ` → ${target}`}
        </Text>
        {details !== null && <DetailsCode entry={entry} summary={details} />}
        <Text size="xs" c="dimmed">
          <TimeText iso={entry.at} dateStyle="dateTimeWithSeconds" size="xs" />
          {entry.ip !== null && ` · ${entry.ip}`}
        </Text>
      </Stack>
    </Box>
  );
}

const cardBorder = { borderBottom: '1px solid var(--mantine-color-gray-2)' } as const;

function OutcomeBadge({ outcome }: { outcome: AuditEntry['outcome'] }) {
  return (
    <Badge color={outcome === 'success' ? 'green' : 'red'} variant="light" tt="none">
      {outcome === 'success' ? 'Success' : 'Failure'}
    </Badge>
  );
}

/** The readable summary, with the full recorded JSON one hover away. */
function DetailsCode({ entry, summary }: { entry: AuditEntry; summary: string }) {
  return (
    <Code
      title={JSON.stringify(entry.details, null, 2)}
      style={{ whiteSpace: 'normal', wordBreak: 'break-word', width: 'fit-content' }}
    >
      {summary}
    </Code>
  );
}
