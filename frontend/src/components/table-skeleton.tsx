import { Skeleton, Table } from '@mantine/core';

export interface TableSkeletonRowsProps {
  columns: number;
  rows?: number;
}

/** Placeholder rows inside a real table, so the layout does not jump when data arrives. */
export function TableSkeletonRows({ columns, rows = 4 }: TableSkeletonRowsProps) {
  return Array.from({ length: rows }, (_, row) => (
    <Table.Tr key={row} aria-hidden>
      {Array.from({ length: columns }, (_, column) => (
        <Table.Td key={column}>
          <Skeleton height={14} width={column === 0 ? '70%' : '50%'} radius="sm" />
        </Table.Td>
      ))}
    </Table.Tr>
  ));
}
