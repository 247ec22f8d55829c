/** A database object a plugin created and owns; uninstall drops exactly these. */
export interface OwnedObject {
  kind: 'table' | 'view' | 'materialized view' | 'sequence' | 'type' | 'function';
  /** For functions: the name with its argument types, as `drop function` needs it. */
  name: string;
}
