import { Button, EmptyState, Group, Pagination, Paper, Select, Stack, Text } from '@mantine/core';
import { useDocumentTitle } from '@mantine/hooks';
import { IconFilterOff, IconHistory, IconRefresh } from '@tabler/icons-react';
import { useSearchParams } from 'react-router';
import { PageHeader } from '../../../components/page-header.tsx';
import { QueryErrorAlert } from '../../../components/query-error-alert.tsx';
import type { AuditOutcome } from '../../../lib/api-types.ts';
import { useAuditLog } from '../admin-queries.ts';
import { ACTION_LABELS } from './audit-format.ts';
import { parseAuditSearch, toAuditSearchParams } from './audit-search.ts';
import type { AuditSearch } from './audit-search.ts';
import { AuditTable } from './audit-table.tsx';

const PAGE_SIZE = 25;

const OUTCOME_OPTIONS = [
  { value: 'all', label: 'All outcomes' },
  { value: 'success', label: 'Success' },
  { value: 'failure', label: 'Failure' },
];

// Mantine's arrow buttons have no accessible name of their own.
const CONTROL_LABELS = {
  first: 'First page',
  previous: 'Previous page',
  next: 'Next page',
  last: 'Last page',
} as const;

const ACTION_OPTIONS = Object.entries(ACTION_LABELS).map(([value, label]) => ({ value, label }));

export function AuditPage() {
  useDocumentTitle('Audit log · Administration · Polyphony');
  const [searchParams, setSearchParams] = useSearchParams();
  const search = parseAuditSearch(searchParams);
  const audit = useAuditLog({ ...search, pageSize: PAGE_SIZE });

  const updateSearch = (changes: Partial<AuditSearch>) => {
    setSearchParams(toAuditSearchParams({ ...search, ...changes }));
  };
  const filtered = search.outcome !== null || search.action !== null;
  const total = audit.data?.total ?? 0;
  const pageCount = Math.max(1, Math.ceil(total / PAGE_SIZE));
  const entries = audit.data?.entries;

  return (
    <Stack gap="md">
      <PageHeader
        order={2}
        title="Audit log"
        description="Every change made by administrators, and every refused attempt. Newest first."
        actions={
          <Button
            variant="default"
            leftSection={<IconRefresh size={16} aria-hidden />}
            // Only for refetches of the page on screen; a new page or filter dims the table instead.
            loading={audit.isFetching && !audit.isPending && !audit.isPlaceholderData}
            onClick={() => void audit.refetch()}
          >
            Refresh
          </Button>
        }
      />

      <Group gap="sm" align="flex-end" wrap="wrap">
        <Select
          label="Outcome"
          data={OUTCOME_OPTIONS}
          value={search.outcome ?? 'all'}
          allowDeselect={false}
          onChange={(value) => {
            updateSearch({ outcome: toOutcome(value), page: 1 });
          }}
          w={{ base: '100%', xs: 180 }}
        />
        <Select
          label="Action"
          placeholder="All actions"
          data={ACTION_OPTIONS}
          value={search.action}
          clearable
          searchable
          nothingFoundMessage="No such action"
          onChange={(value) => {
            updateSearch({ action: value, page: 1 });
          }}
          w={{ base: '100%', xs: 240 }}
        />
        {filtered && (
          <Button
            variant="subtle"
            color="gray"
            leftSection={<IconFilterOff size={16} aria-hidden />}
            onClick={() => {
              updateSearch({ outcome: null, action: null, page: 1 });
            }}
          >
            Clear filters
          </Button>
        )}
      </Group>

      {audit.isError && (
        <QueryErrorAlert
          title="Could not load the audit log"
          error={audit.error}
          onRetry={() => void audit.refetch()}
          retrying={audit.isFetching}
        />
      )}
      {audit.isError && entries === undefined ? null : entries?.length === 0 ? (
        <Paper withBorder radius="lg" p="xl">
          <EmptyState variant="light" color="gray" icon={<IconHistory aria-hidden />}>
            <EmptyState.Title order={3}>
              {filtered || search.page > 1 ? 'No entries match' : 'Nothing recorded yet'}
            </EmptyState.Title>
            <EmptyState.Description>
              {filtered || search.page > 1
                ? 'Try other filters, or go back to the first page.'
                : 'Changes to users, roles and plugins, and failed sign-ins, will show up here.'}
            </EmptyState.Description>
            {(filtered || search.page > 1) && (
              <EmptyState.Actions>
                <Button
                  variant="light"
                  onClick={() => {
                    updateSearch({ outcome: null, action: null, page: 1 });
                  }}
                >
                  Show all entries
                </Button>
              </EmptyState.Actions>
            )}
          </EmptyState>
        </Paper>
      ) : (
        <Paper withBorder radius="lg" style={{ overflow: 'hidden' }}>
          <AuditTable entries={entries} loading={audit.isPending} stale={audit.isPlaceholderData} />
        </Paper>
      )}

      {audit.data !== undefined && total > 0 && (
        <Group justify="space-between" gap="sm" wrap="wrap">
          <Text size="sm" c="dimmed" aria-live="polite">
            {rangeText(search.page, total)}
          </Text>
          <Pagination
            total={pageCount}
            value={Math.min(search.page, pageCount)}
            onChange={(page) => {
              updateSearch({ page });
            }}
            size="sm"
            getControlProps={(control) => ({ 'aria-label': CONTROL_LABELS[control] })}
            getItemProps={(page) => ({ 'aria-label': `Page ${page}` })}
          />
        </Group>
      )}
    </Stack>
  );
}

function toOutcome(value: string | null): AuditOutcome | null {
  return value === 'success' || value === 'failure' ? value : null;
}

function rangeText(page: number, total: number): string {
  const first = Math.min((page - 1) * PAGE_SIZE + 1, total);
  const last = Math.min(page * PAGE_SIZE, total);
  return `Entries ${first}–${last} of ${total}`;
}
