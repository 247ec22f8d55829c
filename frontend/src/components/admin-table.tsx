import { Table, Text, VisuallyHidden } from '@mantine/core';
import type { ReactNode } from 'react';
import { useIsPhone } from '../lib/use-is-phone.ts';
import { TableSkeletonRows } from './table-skeleton.tsx';

export interface AdminTableProps {
  /** Header labels; a column called "Actions" is right-aligned and named for screen readers only. */
  columns: readonly string[];
  /** Left out on phones, where the table has to fit 390px without scrolling sideways. */
  wideOnlyColumns: ReadonlySet<string>;
  /** Below this width (on wider screens) the table scrolls sideways instead of squeezing. */
  minWidth: number;
  loading: boolean;
  skeletonRows?: number;
  /** Shown across the table when it has no rows; null while there are rows (or no answer yet). */
  emptyText: string | null;
  /** The rows; `wide` says whether the wide-only columns are shown. */
  children: (layout: { wide: boolean }) => ReactNode;
}

/** The admin area's list tables: responsive columns, a loading skeleton and an empty state. */
export function AdminTable({
  columns,
  wideOnlyColumns,
  minWidth,
  loading,
  skeletonRows,
  emptyText,
  children,
}: AdminTableProps) {
  const isPhone = useIsPhone();
  const shown = isPhone ? columns.filter((column) => !wideOnlyColumns.has(column)) : columns;
  return (
    <Table.ScrollContainer minWidth={isPhone ? 0 : minWidth} type="native">
      <Table highlightOnHover verticalSpacing="sm" horizontalSpacing={isPhone ? 'sm' : 'md'}>
        <Table.Thead>
          <Table.Tr>
            {shown.map((column) => (
              <Table.Th key={column} ta={column === 'Actions' ? 'right' : undefined}>
                {column === 'Actions' ? <VisuallyHidden>{column}</VisuallyHidden> : column}
              </Table.Th>
            ))}
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {loading && <TableSkeletonRows columns={shown.length} rows={skeletonRows} />}
          {emptyText !== null && (
            <Table.Tr>
              <Table.Td colSpan={shown.length}>
                <Text c="dimmed" ta="center" py="lg">
                  {emptyText}
                </Text>
              </Table.Td>
            </Table.Tr>
          )}
          {children({ wide: !isPhone })}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}
