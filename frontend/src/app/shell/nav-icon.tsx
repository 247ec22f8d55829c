import {
  IconApps,
  IconBell,
  IconBook,
  IconCalendar,
  IconChartBar,
  IconDatabase,
  IconFileText,
  IconFolder,
  IconHeart,
  IconHome,
  IconLayoutDashboard,
  IconList,
  IconMessage,
  IconNotes,
  IconPlug,
  IconPuzzle,
  IconSearch,
  IconSettings,
  IconShield,
  IconStar,
  IconUser,
  IconUsers,
} from '@tabler/icons-react';
import type { IconProps, TablerIcon } from '@tabler/icons-react';
import { normalizeIconName } from '../../features/navigation/nav-items.ts';

/**
 * The icons nav items may name. Importing all of Tabler would add megabytes, so this is a curated
 * set; an unknown name (a plugin asking for something else) gets the generic icon, never an error.
 */
const ICONS: Record<string, TablerIcon> = {
  home: IconHome,
  dashboard: IconLayoutDashboard,
  'layout-dashboard': IconLayoutDashboard,
  settings: IconSettings,
  shield: IconShield,
  user: IconUser,
  users: IconUsers,
  plug: IconPlug,
  puzzle: IconPuzzle,
  list: IconList,
  'file-text': IconFileText,
  file: IconFileText,
  folder: IconFolder,
  calendar: IconCalendar,
  'chart-bar': IconChartBar,
  chart: IconChartBar,
  book: IconBook,
  bell: IconBell,
  message: IconMessage,
  notes: IconNotes,
  note: IconNotes,
  heart: IconHeart,
  search: IconSearch,
  star: IconStar,
  database: IconDatabase,
};

const FALLBACK_ICON = IconApps;

export interface NavIconProps extends Omit<IconProps, 'name'> {
  /** A Tabler icon name from a `NavItem`; `null` when the item names none. */
  iconName: string | null;
}

export function NavIcon({ iconName, ...props }: NavIconProps) {
  const Component =
    iconName === null ? FALLBACK_ICON : (ICONS[normalizeIconName(iconName)] ?? FALLBACK_ICON);
  return <Component aria-hidden size={18} stroke={1.8} {...props} />;
}
