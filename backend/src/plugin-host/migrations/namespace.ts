import type {
  KyselyPlugin,
  OperationNode,
  PluginTransformQueryArgs,
  PluginTransformResultArgs,
  QueryResult,
  RootOperationNode,
  UnknownRow,
} from 'kysely';
import { AppError } from '../../errors/app-error.ts';

/** 'team-polls' → 'plugin_team_polls_'. Manifest ids are already limited to [a-z0-9-]. */
export function tablePrefix(pluginId: string): string {
  return `plugin_${pluginId.replaceAll('-', '_')}_`;
}

export interface NamespaceGuardOptions {
  prefix: string;
  /**
   * Names of objects owned by other installed plugins. Ids can overlap (`kudos` and `kudos-extra`),
   * so a name inside this plugin's prefix can still be someone else's. Ownership decides, not the
   * longer prefix: `kudos` may use `plugin_kudos_extra_x` as long as no installed plugin owns it.
   */
  foreignOwned: () => ReadonlySet<string>;
  /** false at run time: schema changes belong in migrations */
  allowDdl: boolean;
}

/**
 * A Kysely plugin that refuses any query naming a database object outside the plugin's namespace.
 * It is a seat belt for trusted plugin code, not a sandbox: see "Known limits" further down.
 */
export function createNamespaceGuard(options: NamespaceGuardOptions): KyselyPlugin {
  return {
    transformQuery(args: PluginTransformQueryArgs): RootOperationNode {
      new QueryCheck(options, args.node).run();
      return args.node;
    },
    transformResult(args: PluginTransformResultArgs): Promise<QueryResult<UnknownRow>> {
      return Promise.resolve(args.result);
    },
  };
}

function violation(message: string, object: string): AppError {
  return new AppError('PLUGIN_NAMESPACE_VIOLATION', message, { details: { object } });
}

// Structural views of the Kysely nodes the guard reads; Kysely's own node types are not a
// discriminated union, so narrowing by `kind` needs these casts either way.
interface AnyNode extends OperationNode {
  readonly [key: string]: unknown;
}
interface IdentifierNode extends OperationNode {
  readonly name: string;
}
interface SchemableIdentifierNode extends OperationNode {
  readonly schema?: IdentifierNode;
  readonly identifier: IdentifierNode;
}
interface TableNode extends OperationNode {
  readonly table: SchemableIdentifierNode;
}
interface RawNode extends OperationNode {
  readonly sqlFragments: readonly string[];
  readonly parameters: readonly OperationNode[];
}

const SCHEMA_NODE_KINDS: ReadonlySet<string> = new Set([
  'CreateTableNode',
  'AlterTableNode',
  'DropTableNode',
  'CreateIndexNode',
  'DropIndexNode',
  'CreateSchemaNode',
  'DropSchemaNode',
  'CreateViewNode',
  'DropViewNode',
  'CreateTypeNode',
  'DropTypeNode',
]);

/** Nodes that can hold no table name; values in particular may be large buffers or JSON. */
const LEAF_KINDS: ReadonlySet<string> = new Set([
  'ValueNode',
  'PrimitiveValueListNode',
  'IdentifierNode',
  'ColumnNode',
  'SelectAllNode',
  'OperatorNode',
  'DataTypeNode',
  'DefaultInsertValueNode',
  // Its table is usually an alias (`k.id`); the tables themselves appear in from/join/into.
  'ReferenceNode',
  // A CTE's name is declared here, not read; uses of it are allowed through the CTE scope.
  'CommonTableExpressionNameNode',
]);

/** Where a raw fragment stands in for a table (`selectFrom(sql`users`.as('u'))`). */
const SOURCE_KEYS: Readonly<Record<string, readonly string[]>> = {
  FromNode: ['froms'],
  JoinNode: ['table'],
  UsingNode: ['tables'],
  UpdateQueryNode: ['table'],
  InsertQueryNode: ['into'],
  MergeQueryNode: ['into'],
};

/**
 * Where a table is written to. A CTE never stands in for a table there: `with users as (...)
 * delete from users` deletes from the real `users`, on both databases.
 */
const TARGET_KEYS: Readonly<Record<string, readonly string[]>> = {
  InsertQueryNode: ['into'],
  UpdateQueryNode: ['table'],
  DeleteQueryNode: ['from'],
  MergeQueryNode: ['into'],
};

type CteScope = ReadonlySet<string> | null;

class QueryCheck {
  readonly #options: NamespaceGuardOptions;
  readonly #root: RootOperationNode;
  #foreign: ReadonlySet<string> | undefined;

  constructor(options: NamespaceGuardOptions, root: RootOperationNode) {
    this.#options = options;
    this.#root = root;
  }

  run(): void {
    const root = this.#root;
    if (!this.#options.allowDdl && SCHEMA_NODE_KINDS.has(root.kind)) {
      const target = schemaTarget(root as AnyNode);
      throw violation(
        `Plugins change the database schema only in migrations, not at run time (${target}).`,
        target,
      );
    }
    this.#visit(root, null);
  }

  /** Read lazily: most queries are refused or accepted on the prefix alone. */
  #foreignOwned(): ReadonlySet<string> {
    this.#foreign ??= this.#options.foreignOwned();
    return this.#foreign;
  }

  checkName(what: string, name: string, schema: string | null): void {
    const { prefix } = this.#options;
    if (schema !== null) {
      throw violation(
        `${what} "${schema}.${name}" names a schema: a plugin's objects live in the host's default schema, named ${prefix}*.`,
        `${schema}.${name}`,
      );
    }
    if (!name.startsWith(prefix)) {
      throw violation(
        `${what} "${name}" is outside this plugin's namespace: its objects must be named ${prefix}*.`,
        name,
      );
    }
    const foreign = this.#foreignOwned();
    // SQLite matches names case-insensitively, so `PLUGIN_X_t` must not slip past `plugin_x_t`.
    if (foreign.size > 0 && (foreign.has(name) || foreign.has(name.toLowerCase()))) {
      throw violation(`${what} "${name}" belongs to another plugin.`, name);
    }
  }

  #schemable(what: string, node: SchemableIdentifierNode, ctes: CteScope): void {
    const name = node.identifier.name;
    const schema = node.schema?.name ?? null;
    if (schema === null && ctes?.has(name)) return;
    this.checkName(what, name, schema);
  }

  #visit(node: OperationNode, scope: CteScope): void {
    const kind = node.kind;
    if (LEAF_KINDS.has(kind)) return;
    const n = node as AnyNode;
    switch (kind) {
      case 'TableNode':
        this.#schemable('Table', (node as TableNode).table, scope);
        return;
      case 'RawNode':
        this.#raw(node as RawNode, scope, false);
        return;
      case 'CreateIndexNode':
      case 'AddIndexNode':
        this.checkName('Index', (n.name as IdentifierNode).name, null);
        break;
      case 'DropIndexNode':
        this.#schemable('Index', n.name as SchemableIdentifierNode, null);
        break;
      case 'CreateViewNode':
      case 'DropViewNode':
      case 'RefreshMaterializedViewNode':
        this.#schemable('View', n.name as SchemableIdentifierNode, null);
        break;
      case 'CreateTypeNode':
      case 'DropTypeNode':
        this.#schemable('Type', n.name as SchemableIdentifierNode, null);
        break;
      case 'CreateSchemaNode':
      case 'DropSchemaNode':
        throw violation(
          'Plugins cannot create or drop schemas.',
          (n.schema as IdentifierNode).name,
        );
      case 'AlterTableNode':
        if (n.setSchema !== undefined) {
          throw violation(
            'Plugins cannot move tables to another schema.',
            (n.setSchema as IdentifierNode).name,
          );
        }
        break;
      case 'PrimaryKeyConstraintNode':
      case 'UniqueConstraintNode':
        // PostgreSQL names the index behind the constraint after it: it must be prefixed too.
        if (n.name !== undefined)
          this.checkName('Constraint', (n.name as IdentifierNode).name, null);
        break;
    }

    if (typeof n.with === 'object' && n.with !== null)
      scope = withCteNames(n.with as AnyNode, scope);
    const sourceKeys = SOURCE_KEYS[kind];
    const targetKeys = TARGET_KEYS[kind];
    for (const key in n) {
      const value = n[key];
      if (typeof value !== 'object' || value === null) continue;
      const asSource = sourceKeys?.includes(key) === true;
      const childScope = targetKeys?.includes(key) === true ? null : scope;
      if (Array.isArray(value)) {
        for (const item of value as unknown[]) this.#child(item, childScope, asSource);
      } else {
        this.#child(value, childScope, asSource);
      }
    }
  }

  #child(value: unknown, scope: CteScope, asSource: boolean): void {
    if (typeof value !== 'object' || value === null) return;
    const node = value as AnyNode;
    if (typeof node.kind !== 'string') return;
    if (asSource) {
      const inner = node.kind === 'AliasNode' ? (node.node as AnyNode) : node;
      if (inner.kind === 'RawNode') {
        this.#raw(inner as unknown as RawNode, scope, true);
        return;
      }
    }
    this.#visit(node, scope);
  }

  #raw(node: RawNode, scope: CteScope, asSource: boolean): void {
    const nested: OperationNode[] = [];
    const text = composeRaw(node, nested);
    for (const child of nested) this.#visit(child, scope);
    // Read as a FROM item: `sql`users`` in selectFrom is a table even without a keyword before it.
    const analysis = analyzeSql(asSource ? `from ${text}` : text);
    const isRoot = node === this.#root;
    analysis.statements.forEach((statement, index) => {
      // A fragment inside a Kysely query is not a statement; whatever follows its `;` is.
      if (index === 0 && !isRoot) return;
      if (statement.problem !== null) throw violation(statement.problem, statement.start);
      if (statement.ddl && !this.#options.allowDdl) {
        throw violation(
          `Plugins change the database schema only in migrations, not at run time ("${statement.start}" statement).`,
          statement.start,
        );
      }
    });
    for (const ref of analysis.refs) {
      if (!ref.target && ref.schema === null && scope?.has(ref.name)) continue;
      this.checkName(ref.what, ref.name, ref.schema);
    }
  }
}

/** The name a schema statement acts on, for the error message. */
function schemaTarget(node: AnyNode): string {
  const named = (node.table ?? node.name ?? node.schema) as AnyNode | undefined;
  if (named?.kind === 'TableNode') return (named as unknown as TableNode).table.identifier.name;
  if (named?.kind === 'SchemableIdentifierNode') {
    return (named as unknown as SchemableIdentifierNode).identifier.name;
  }
  if (named?.kind === 'IdentifierNode') return (named as unknown as IdentifierNode).name;
  return node.kind;
}

function withCteNames(withNode: AnyNode, scope: CteScope): CteScope {
  const names = new Set(scope);
  for (const cte of withNode.expressions as AnyNode[]) {
    const nameNode = cte.name as { table: TableNode };
    names.add(nameNode.table.table.identifier.name);
  }
  return names;
}

function quoteIdentifier(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}

/**
 * The raw SQL text with identifiers spelled out (`sql.id`, `sql.table`, `sql.ref`) and values
 * as placeholders. Other nodes (subqueries) go to `nested` to be checked as Kysely nodes.
 */
function composeRaw(node: RawNode, nested: OperationNode[]): string {
  let text = node.sqlFragments[0] ?? '';
  node.parameters.forEach((parameter, i) => {
    text += renderParameter(parameter, nested) + (node.sqlFragments[i + 1] ?? '');
  });
  return text;
}

function renderParameter(parameter: OperationNode, nested: OperationNode[]): string {
  const p = parameter as AnyNode;
  switch (parameter.kind) {
    case 'RawNode':
      return composeRaw(parameter as RawNode, nested);
    case 'IdentifierNode':
      return quoteIdentifier((parameter as IdentifierNode).name);
    case 'SchemableIdentifierNode': {
      const s = parameter as SchemableIdentifierNode;
      const name = quoteIdentifier(s.identifier.name);
      return s.schema ? `${quoteIdentifier(s.schema.name)}.${name}` : name;
    }
    case 'TableNode':
      nested.push(parameter);
      return renderParameter((parameter as TableNode).table, nested);
    case 'ColumnNode':
      return quoteIdentifier((p.column as IdentifierNode).name);
    case 'ReferenceNode': {
      const column =
        (p.column as AnyNode).kind === 'ColumnNode'
          ? renderParameter(p.column as AnyNode, nested)
          : '*';
      return p.table ? `${renderParameter(p.table as AnyNode, [])}.${column}` : column;
    }
    case 'ValueNode':
    case 'PrimitiveValueListNode':
    case 'ValueListNode':
      return ' ? ';
    default:
      nested.push(parameter);
      return ' (?) ';
  }
}

// ---------------------------------------------------------------------------------------------
// Raw SQL: a deliberately small reading of SQL, enough to find every table a statement names.
//
// Known limits (a plugin is trusted code; this catches mistakes, it does not contain malice):
// - string literals are skipped, so SQL inside PostgreSQL function bodies ($$ ... $$) is unseen;
//   the schema snapshot around migrations still sees what such functions create or change;
// - tables are found after FROM/JOIN/USING (and comma lists after them), INTO, UPDATE, TABLE,
//   REFERENCES, TRUNCATE, ON of CREATE INDEX/TRIGGER, and RENAME TO; SQL that reaches a table
//   another way (COPY, functions that take a table name as text) is refused only by the
//   statement allowlist, or not at all inside an allowed statement;
// - queries sent through `executeQuery(CompiledQuery.raw(...))` or `withoutPlugins()` never
//   reach a Kysely plugin.
// ---------------------------------------------------------------------------------------------

interface SqlRef {
  /** Unquoted names lowercased (as PostgreSQL folds them); quoted names exactly as written. */
  name: string;
  schema: string | null;
  /** Written to or declared (INSERT INTO, DELETE FROM, CREATE INDEX ...): a CTE name never covers it. */
  target: boolean;
  what: string;
}

interface SqlStatement {
  /** The first word, lowercased (or the first character). */
  start: string;
  ddl: boolean;
  problem: string | null;
}

interface SqlAnalysis {
  statements: SqlStatement[];
  refs: SqlRef[];
}

interface Token {
  type: 'word' | 'ident' | 'punct' | 'literal' | 'number' | 'param';
  /** word: lowercased; ident: unquoted content; punct: the character. */
  value: string;
}

const cache = new Map<string, SqlAnalysis>();
const CACHE_LIMIT = 1000;

/** Finds the statements and table names in SQL text. Prefix-independent, hence cached by text. */
function analyzeSql(text: string): SqlAnalysis {
  const cached = cache.get(text);
  if (cached !== undefined) return cached;
  const analysis: SqlAnalysis = { statements: [], refs: [] };
  for (const statement of splitStatements(tokenize(text))) {
    analyzeStatement(statement, analysis);
  }
  if (cache.size >= CACHE_LIMIT) {
    const oldest = cache.keys().next();
    if (oldest.done !== true) cache.delete(oldest.value);
  }
  cache.set(text, analysis);
  return analysis;
}

/** Words that can follow a table keyword without being a table name. */
const KEYWORDS: ReadonlySet<string> = new Set([
  'abort',
  'add',
  'after',
  'all',
  'alter',
  'and',
  'array',
  'as',
  'before',
  'begin',
  'by',
  'cascade',
  'case',
  'check',
  'column',
  'concurrently',
  'conflict',
  'constraint',
  'create',
  'cross',
  'default',
  'delete',
  'distinct',
  'do',
  'domain',
  'drop',
  'each',
  'else',
  'end',
  'except',
  'exists',
  'fail',
  'false',
  'fetch',
  'for',
  'foreign',
  'from',
  'full',
  'function',
  'group',
  'having',
  'if',
  'ignore',
  'in',
  'index',
  'inner',
  'insert',
  'instead',
  'intersect',
  'into',
  'is',
  'join',
  'key',
  'lateral',
  'left',
  'limit',
  'locked',
  'materialized',
  'natural',
  'no',
  'not',
  'nothing',
  'nowait',
  'null',
  'of',
  'offset',
  'on',
  'only',
  'or',
  'order',
  'outer',
  'primary',
  'procedure',
  'recursive',
  'references',
  'rename',
  'replace',
  'restrict',
  'returning',
  'right',
  'rollback',
  'routine',
  'row',
  'schema',
  'select',
  'sequence',
  'set',
  'share',
  'skip',
  'statement',
  'table',
  'temp',
  'temporary',
  'then',
  'to',
  'trigger',
  'true',
  'type',
  'union',
  'unique',
  'unlogged',
  'update',
  'using',
  'values',
  'view',
  'when',
  'where',
  'window',
  'with',
]);

/** Statements a plugin may send; anything else (transaction control, PRAGMA, ATTACH, SET, GRANT, DO, COPY...) is refused. */
const STATEMENT_STARTS: ReadonlySet<string> = new Set([
  'select',
  'with',
  'insert',
  'update',
  'delete',
  'values',
  'replace',
  'merge',
  'table',
  'truncate',
  'explain',
  'refresh',
  '(',
]);
const DDL_STARTS: ReadonlySet<string> = new Set(['create', 'alter', 'drop']);
const CREATE_KINDS: ReadonlySet<string> = new Set([
  'table',
  'index',
  'view',
  'materialized view',
  'trigger',
  'type',
  'function',
  'procedure',
  'sequence',
  'domain',
]);
const DROP_KINDS: ReadonlySet<string> = new Set([...CREATE_KINDS, 'routine']);
const CREATE_MODIFIERS: ReadonlySet<string> = new Set([
  'or',
  'replace',
  'unique',
  'temp',
  'temporary',
  'unlogged',
  'global',
  'local',
  'constraint',
  'recursive',
  'virtual',
]);
/** Words between a table keyword and the table name. */
const NAME_PREFIXES: ReadonlySet<string> = new Set([
  'lateral',
  'only',
  'if',
  'not',
  'exists',
  'temp',
  'temporary',
  'unlogged',
]);
const DDL_NAME_PREFIXES: ReadonlySet<string> = new Set([
  'concurrently',
  'if',
  'not',
  'exists',
  'only',
]);
const REFRESH_PREFIXES: ReadonlySet<string> = new Set(['materialized', 'view', 'concurrently']);
/** Words that end a FROM/USING/DROP TABLE list at their depth. */
const LIST_ENDERS: ReadonlySet<string> = new Set([
  'where',
  'group',
  'having',
  'order',
  'limit',
  'offset',
  'window',
  'union',
  'intersect',
  'except',
  'returning',
  'set',
  'fetch',
  'for',
  'select',
  'values',
  'do',
  'when',
  'then',
  'begin',
  'cascade',
  'restrict',
]);
/** Functions whose arguments use FROM as a plain word: extract(epoch from t), trim(x from y). */
const FROM_FUNCTIONS: ReadonlySet<string> = new Set(['extract', 'substring', 'trim', 'overlay']);

const LITERAL: Token = { type: 'literal', value: '' };

function isWordStart(code: number): boolean {
  return (code >= 97 && code <= 122) || (code >= 65 && code <= 90) || code === 95 || code >= 128;
}

function isWordPart(code: number): boolean {
  return isWordStart(code) || (code >= 48 && code <= 57) || code === 36;
}

function isSpace(code: number): boolean {
  return code === 32 || (code >= 9 && code <= 13);
}

/** Tokens of SQL text; literals and comments reduced to nothing that could name a table. */
function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  const n = text.length;
  let i = 0;
  while (i < n) {
    const code = text.charCodeAt(i);
    const ch = text[i];
    if (isSpace(code)) {
      i++;
    } else if (ch === '-' && text[i + 1] === '-') {
      const end = text.indexOf('\n', i);
      i = end === -1 ? n : end + 1;
    } else if (ch === '/' && text[i + 1] === '*') {
      // Not nested, as SQLite reads it: on PostgreSQL that only makes us read more, never less.
      const end = text.indexOf('*/', i + 2);
      i = end === -1 ? n : end + 2;
    } else if (ch === "'") {
      i = skipString(text, i, false);
      tokens.push(LITERAL);
    } else if (ch === '"' || ch === '`') {
      const [value, end] = readQuoted(text, i, ch);
      tokens.push({ type: 'ident', value });
      i = end;
    } else if (ch === '[' && bracketIsIdentifier(tokens.at(-1))) {
      const end = text.indexOf(']', i + 1);
      tokens.push({ type: 'ident', value: text.slice(i + 1, end === -1 ? n : end) });
      i = end === -1 ? n : end + 1;
    } else if (ch === '$') {
      i = readDollar(text, i, tokens);
    } else if (isWordStart(code)) {
      let j = i + 1;
      while (j < n && isWordPart(text.charCodeAt(j))) j++;
      const word = text.slice(i, j).toLowerCase();
      if (text[j] === "'" && (word === 'e' || word === 'n' || word === 'x' || word === 'b')) {
        i = skipString(text, j, word === 'e');
        tokens.push(LITERAL);
      } else if (word === 'u' && text[j] === '&' && (text[j + 1] === "'" || text[j + 1] === '"')) {
        if (text[j + 1] === "'") {
          i = skipString(text, j + 1, false);
          tokens.push(LITERAL);
        } else {
          const [value, end] = readQuoted(text, j + 1, '"');
          tokens.push({ type: 'ident', value });
          i = end;
        }
      } else {
        tokens.push({ type: 'word', value: word });
        i = j;
      }
    } else if (code >= 48 && code <= 57) {
      let j = i + 1;
      while (j < n && (isWordPart(text.charCodeAt(j)) || text[j] === '.')) j++;
      tokens.push({ type: 'number', value: text.slice(i, j) });
      i = j;
    } else {
      tokens.push({ type: 'punct', value: ch ?? '' });
      i++;
    }
  }
  return tokens;
}

/** Index just past a '...' literal ('' doubles a quote; backslash escapes in E'...'). */
function skipString(text: string, start: number, backslashEscapes: boolean): number {
  let j = start + 1;
  while (j < text.length) {
    const ch = text[j];
    if (ch === '\\' && backslashEscapes) {
      j += 2;
    } else if (ch === "'") {
      if (text[j + 1] !== "'") return j + 1;
      j += 2;
    } else {
      j++;
    }
  }
  return text.length;
}

function readQuoted(text: string, start: number, quote: string): [string, number] {
  let value = '';
  let from = start + 1;
  for (;;) {
    const end = text.indexOf(quote, from);
    if (end === -1) return [value + text.slice(from), text.length];
    value += text.slice(from, end);
    if (text[end + 1] !== quote) return [value, end + 1];
    value += quote;
    from = end + 2;
  }
}

/** `$1` and `$name` are parameters; `$$...$$` and `$tag$...$tag$` are literals. */
function readDollar(text: string, start: number, tokens: Token[]): number {
  let j = start + 1;
  const first = text.charCodeAt(j);
  if (first >= 48 && first <= 57) {
    while (j < text.length && /[0-9]/.test(text[j] ?? '')) j++;
    tokens.push({ type: 'param', value: text.slice(start, j) });
    return j;
  }
  while (j < text.length && isWordPart(text.charCodeAt(j)) && text[j] !== '$') j++;
  if (text[j] !== '$') {
    tokens.push({ type: 'param', value: text.slice(start, j) });
    return j;
  }
  const tag = text.slice(start, j + 1);
  const end = text.indexOf(tag, j + 1);
  tokens.push(LITERAL);
  return end === -1 ? text.length : end + tag.length;
}

/** SQLite's `[name]` quoting, told apart from PostgreSQL's subscripts (`a[1]`, `array[...]`). */
function bracketIsIdentifier(previous: Token | undefined): boolean {
  if (previous === undefined) return true;
  if (previous.type === 'punct') return previous.value !== ')' && previous.value !== ']';
  if (previous.type === 'word') return KEYWORDS.has(previous.value) && previous.value !== 'array';
  return false;
}

function isWord(token: Token | undefined, value: string): boolean {
  return token?.type === 'word' && token.value === value;
}

function isPunct(token: Token | undefined, value: string): boolean {
  return token?.type === 'punct' && token.value === value;
}

/** Top-level `;` ends a statement, except inside a SQLite trigger's BEGIN ... END body. */
function splitStatements(tokens: Token[]): Token[][] {
  const statements: Token[][] = [];
  let current: Token[] = [];
  let depth = 0;
  let block = 0;
  let trigger = false;
  for (const token of tokens) {
    if (token.type === 'punct') {
      if (token.value === '(') depth++;
      else if (token.value === ')') depth = Math.max(0, depth - 1);
      else if (token.value === ';' && depth === 0 && block === 0) {
        if (current.length > 0) statements.push(current);
        current = [];
        trigger = false;
        continue;
      }
    } else if (token.type === 'word') {
      if (token.value === 'trigger' && isWord(current[0], 'create')) trigger = true;
      else if (trigger && (token.value === 'begin' || token.value === 'case')) block++;
      else if (trigger && token.value === 'end' && block > 0) block--;
    }
    current.push(token);
  }
  if (current.length > 0) statements.push(current);
  return statements;
}

function describeKind(kind: string): string {
  return kind.charAt(0).toUpperCase() + kind.slice(1);
}

function analyzeStatement(ts: Token[], out: SqlAnalysis): void {
  const first = ts[0];
  const start = first === undefined ? '' : first.value;
  const ddl = first?.type === 'word' && DDL_STARTS.has(start);
  const allowed = (first?.type === 'word' && STATEMENT_STARTS.has(start)) || isPunct(first, '(');
  let problem: string | null = ddl || allowed ? null : `Plugins may not run "${start}" statements.`;
  const reader = new StatementReader(ts, out, start);
  if (ddl) problem = reader.ddlHeader() ?? problem;
  if (start === 'refresh') reader.refreshedView();
  problem = reader.scan() ?? problem;
  out.statements.push({ start, ddl, problem });
}

class StatementReader {
  readonly #ts: Token[];
  readonly #out: SqlAnalysis;
  readonly #start: string;
  readonly #ctes: Set<string>;

  constructor(ts: Token[], out: SqlAnalysis, start: string) {
    this.#ts = ts;
    this.#out = out;
    this.#start = start;
    this.#ctes = collectCteNames(ts);
  }

  #push(name: string, schema: string | null, target: boolean, what: string): void {
    if (!target && schema === null && this.#ctes.has(name)) return;
    this.#out.refs.push({ name, schema, target, what });
  }

  /** Reads `[schema.]name` at i, or null when no name is there (a keyword, a parenthesis). */
  #name(i: number): { name: string; schema: string | null; next: number } | null {
    const ts = this.#ts;
    const first = ts[i];
    if (first === undefined) return null;
    if (first.type !== 'ident' && (first.type !== 'word' || KEYWORDS.has(first.value))) return null;
    const parts = [first.value];
    let j = i + 1;
    while (isPunct(ts[j], '.')) {
      const part = ts[j + 1];
      if (part?.type !== 'word' && part?.type !== 'ident') break;
      parts.push(part.value);
      j += 2;
    }
    const name = parts.pop() ?? '';
    return { name, schema: parts.length > 0 ? parts.join('.') : null, next: j };
  }

  #skip(i: number, words: ReadonlySet<string>): number {
    while (this.#ts[i]?.type === 'word' && words.has(this.#ts[i]?.value ?? '')) i++;
    return i;
  }

  /** A table after a table keyword; function calls (`json_each(...)`) are allowed where FROM allows them. */
  #tableItem(i: number, mode: 'read' | 'target'): void {
    const at = this.#skip(i, NAME_PREFIXES);
    const found = this.#name(at);
    if (found === null) return;
    if (mode === 'read' && isPunct(this.#ts[found.next], '(')) return;
    this.#push(found.name, found.schema, mode === 'target', 'Table');
  }

  #matchingParen(i: number): number {
    let depth = 0;
    for (let j = i; j < this.#ts.length; j++) {
      if (isPunct(this.#ts[j], '(')) depth++;
      else if (isPunct(this.#ts[j], ')') && --depth === 0) return j;
    }
    return this.#ts.length;
  }

  /** The first top-level ON from i (CREATE INDEX x ON t, CREATE TRIGGER x ... ON t). */
  #onTable(i: number): void {
    const ts = this.#ts;
    for (let j = i; j < ts.length; j++) {
      if (isPunct(ts[j], '(')) j = this.#matchingParen(j);
      else if (isWord(ts[j], 'on')) {
        this.#tableItem(j + 1, 'target');
        return;
      }
    }
  }

  /** CREATE/ALTER/DROP: the object kind must be one a plugin may own, and its name is checked. */
  ddlHeader(): string | null {
    const ts = this.#ts;
    const verb = this.#start;
    let i = 1;
    if (verb === 'create') i = this.#skip(i, CREATE_MODIFIERS);
    let kind = ts[i]?.value ?? '';
    if (kind === 'materialized' && isWord(ts[i + 1], 'view')) {
      kind = 'materialized view';
      i++;
    }
    const allowed = verb === 'create' ? CREATE_KINDS : DROP_KINDS;
    if (ts[i]?.type !== 'word' || !allowed.has(kind)) {
      return `Plugins may not ${verb} "${kind}" objects: only tables, indexes, views, triggers, types, functions and sequences in their own namespace.`;
    }
    // TABLE is read by the scan with every other table keyword.
    if (kind === 'table') return null;
    i = this.#skip(i + 1, DDL_NAME_PREFIXES);
    const what = describeKind(kind === 'routine' || kind === 'procedure' ? 'function' : kind);
    if (kind === 'index' && isWord(ts[i], 'on')) {
      // PostgreSQL names an unnamed index after its table, which is checked next.
      this.#onTable(i);
      return null;
    }
    for (;;) {
      const found = this.#name(i);
      if (found === null) break;
      this.#push(found.name, found.schema, true, what);
      i = found.next;
      if (isPunct(ts[i], '(')) i = this.#matchingParen(i) + 1;
      if (verb !== 'drop' || !isPunct(ts[i], ',')) break;
      i++;
    }
    if (kind === 'index' || kind === 'trigger') this.#onTable(i);
    return null;
  }

  /** REFRESH MATERIALIZED VIEW [CONCURRENTLY] name */
  refreshedView(): void {
    const found = this.#name(this.#skip(1, REFRESH_PREFIXES));
    if (found !== null) this.#push(found.name, found.schema, true, 'View');
  }

  /** Every table keyword in the statement, at any depth. Returns a problem, if any. */
  scan(): string | null {
    const ts = this.#ts;
    const parens: boolean[] = [];
    const lists = new Set<number>();
    const tableLists = this.#start === 'drop' || this.#start === 'truncate';
    let problem: string | null = null;
    for (let i = 0; i < ts.length; i++) {
      const t = ts[i];
      if (t === undefined) break;
      if (t.type === 'punct') {
        if (t.value === '(') {
          const before = ts[i - 1];
          parens.push(before?.type === 'word' && FROM_FUNCTIONS.has(before.value));
        } else if (t.value === ')') {
          lists.delete(parens.length);
          parens.pop();
        } else if (t.value === ',' && lists.has(parens.length)) {
          this.#tableItem(i + 1, tableLists ? 'target' : 'read');
        }
        continue;
      }
      if (t.type !== 'word') continue;
      const next = ts[i + 1];
      switch (t.value) {
        case 'from':
          if (parens.at(-1) === true) break;
          if (
            isWord(ts[i - 1], 'distinct') &&
            (isWord(ts[i - 2], 'is') || isWord(ts[i - 2], 'not'))
          )
            break;
          this.#tableItem(i + 1, isWord(ts[i - 1], 'delete') ? 'target' : 'read');
          lists.add(parens.length);
          break;
        case 'join':
          this.#tableItem(i + 1, 'read');
          break;
        case 'using':
          if (isPunct(next, '(')) break;
          this.#tableItem(i + 1, 'read');
          lists.add(parens.length);
          break;
        case 'into':
        case 'update':
        case 'references':
        case 'table':
          this.#tableItem(i + 1, 'target');
          if (tableLists) lists.add(parens.length);
          break;
        case 'truncate':
          this.#tableItem(i + 1, 'target');
          lists.add(parens.length);
          break;
        case 'rename':
          if (isWord(next, 'to')) {
            const found = this.#name(i + 2);
            if (found !== null) this.#push(found.name, found.schema, true, 'Object');
          }
          break;
        case 'set':
          if (isWord(next, 'schema')) problem ??= 'Plugins cannot move objects to another schema.';
          lists.delete(parens.length);
          break;
        default:
          if (LIST_ENDERS.has(t.value)) lists.delete(parens.length);
      }
    }
    return problem;
  }
}

/** `with x as (`, `with recursive x(a, b) as (`, `, y as materialized (`. */
function collectCteNames(ts: Token[]): Set<string> {
  const names = new Set<string>();
  for (let i = 1; i < ts.length; i++) {
    const t = ts[i];
    const before = ts[i - 1];
    if (t === undefined || before === undefined) continue;
    if (t.type !== 'ident' && (t.type !== 'word' || KEYWORDS.has(t.value))) continue;
    if (!isWord(before, 'with') && !isWord(before, 'recursive') && !isPunct(before, ',')) continue;
    let j = i + 1;
    if (isPunct(ts[j], '(')) {
      while (j < ts.length && !isPunct(ts[j], ')')) j++;
      j++;
    }
    if (!isWord(ts[j], 'as')) continue;
    j++;
    if (isWord(ts[j], 'not')) j++;
    if (isWord(ts[j], 'materialized')) j++;
    if (isPunct(ts[j], '(')) names.add(t.value);
  }
  return names;
}
