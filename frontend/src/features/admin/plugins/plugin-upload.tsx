import {
  Alert,
  Button,
  Code,
  Group,
  List,
  Modal,
  Paper,
  Progress,
  Stack,
  Text,
  UnstyledButton,
} from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { IconAlertCircle, IconFileZip, IconUpload } from '@tabler/icons-react';
import { useQueryClient } from '@tanstack/react-query';
import { useId, useRef, useState } from 'react';
import type { DragEvent } from 'react';
import type { Plugin } from '../../../lib/api-types.ts';
import { planUpload, readArchiveManifest } from './plugin-archive.ts';
import type { UploadPlan } from './plugin-archive.ts';
import { describeUploadFailure, uploadSucceeded } from './plugin-messages.ts';
import type { UploadFailure } from './plugin-messages.ts';
import { pluginsQuery, useUploadPlugin } from './plugin-queries.ts';
import type { UploadProgress } from './upload-request.ts';

type UploadStatus =
  | { kind: 'idle' }
  | { kind: 'confirm'; file: File; plan: Extract<UploadPlan, { kind: 'upgrade' }> }
  | { kind: 'sending'; file: File; progress: UploadProgress }
  | { kind: 'failed'; title: string; failure: UploadFailure };

/** Browsers read big files whole; past this the archive is uploaded without a look inside. */
const MAX_PEEK_BYTES = 100 * 1024 * 1024;

/**
 * Install or upgrade from a ZIP: dropped on the zone or chosen with the file picker. Before an
 * upgrade the browser reads plugin.json from the archive and asks to confirm "1.0.0 → 1.1.0";
 * everything else (and anything it cannot read) goes straight to the server, whose answer is
 * shown here in full.
 */
export function PluginUpload() {
  const queryClient = useQueryClient();
  const upload = useUploadPlugin();
  const [status, setStatus] = useState<UploadStatus>({ kind: 'idle' });
  const [dragging, setDragging] = useState(false);
  const inputRef = useRef<HTMLInputElement>(null);
  const abortRef = useRef<AbortController | null>(null);
  const titleId = useId();
  const hintId = useId();
  const busy = status.kind === 'sending';

  async function choose(file: File) {
    const installed = await queryClient.query(pluginsQuery).catch((): Plugin[] => []);
    const plan = planUpload(await peekManifest(file), installed);
    if (plan.kind === 'upgrade') setStatus({ kind: 'confirm', file, plan });
    else send(file);
  }

  function send(file: File) {
    const controller = new AbortController();
    abortRef.current = controller;
    setStatus({ kind: 'sending', file, progress: { phase: 'uploading', fraction: 0 } });
    upload.mutate(
      {
        file,
        signal: controller.signal,
        onProgress: (progress) => {
          setStatus({ kind: 'sending', file, progress });
        },
      },
      {
        onSuccess: (result) => {
          setStatus({ kind: 'idle' });
          const notice = uploadSucceeded(result);
          notifications.show({ ...notice, autoClose: notice.color === 'green' ? 6000 : false });
        },
        onError: (error) => {
          if (controller.signal.aborted) {
            setStatus({ kind: 'idle' });
            return;
          }
          setStatus({
            kind: 'failed',
            title: `${file.name} was not installed`,
            failure: describeUploadFailure(error),
          });
        },
        onSettled: () => {
          abortRef.current = null;
        },
      },
    );
  }

  function handleFiles(files: FileList | null) {
    if (busy || files === null || files.length === 0) return;
    const [file] = files;
    if (files.length > 1 || file === undefined) {
      setStatus({
        kind: 'failed',
        title: 'Nothing was installed',
        failure: {
          explanation: 'Drop one plugin archive at a time.',
          serverMessage: null,
          code: null,
          issues: [],
        },
      });
      return;
    }
    void choose(file);
  }

  function handleDrop(event: DragEvent<HTMLElement>) {
    event.preventDefault();
    setDragging(false);
    handleFiles(event.dataTransfer.files);
  }

  return (
    <Stack gap="sm">
      <UnstyledButton
        onClick={() => {
          if (!busy) inputRef.current?.click();
        }}
        onDragOver={(event) => {
          event.preventDefault();
          event.dataTransfer.dropEffect = busy ? 'none' : 'copy';
          setDragging(true);
        }}
        onDragLeave={() => {
          setDragging(false);
        }}
        onDrop={handleDrop}
        // Not `disabled`: a disabled button ignores a drop, and the browser would open the file
        // in place of the app, ending the upload under way.
        aria-disabled={busy}
        aria-labelledby={titleId}
        aria-describedby={hintId}
        style={{ borderRadius: 'var(--mantine-radius-lg)' }}
      >
        <Paper
          withBorder
          radius="lg"
          p="lg"
          bg={dragging ? 'var(--mantine-primary-color-light)' : undefined}
          style={{
            borderStyle: 'dashed',
            borderWidth: 2,
            borderColor: dragging ? 'var(--mantine-primary-color-filled)' : undefined,
            opacity: busy ? 0.6 : 1,
            // Drag events then come from the zone alone, not from each child the pointer crosses.
            pointerEvents: 'none',
          }}
        >
          <Group gap="md" wrap="nowrap" justify="center">
            <IconUpload size={32} aria-hidden stroke={1.5} />
            <Stack gap={2}>
              <Text fw={600} id={titleId}>
                Upload a plugin (ZIP)
              </Text>
              <Text size="sm" c="dimmed" id={hintId}>
                Drop the archive here, or click to choose it. A newer version of an installed plugin
                upgrades it and keeps its data.
              </Text>
            </Stack>
          </Group>
        </Paper>
      </UnstyledButton>
      <input
        ref={inputRef}
        type="file"
        accept=".zip,application/zip,application/x-zip-compressed"
        aria-label="Plugin archive (ZIP)"
        hidden
        onChange={(event) => {
          handleFiles(event.currentTarget.files);
          // The same file again must fire a change next time (say, after fixing the server).
          event.currentTarget.value = '';
        }}
      />

      {status.kind === 'sending' && (
        <UploadProgressBar
          fileName={status.file.name}
          progress={status.progress}
          onCancel={() => abortRef.current?.abort()}
        />
      )}
      {status.kind === 'failed' && (
        <UploadFailureAlert
          title={status.title}
          failure={status.failure}
          onDismiss={() => {
            setStatus({ kind: 'idle' });
          }}
        />
      )}
      {status.kind === 'confirm' && (
        <ConfirmUpgradeDialog
          plan={status.plan}
          fileName={status.file.name}
          onCancel={() => {
            setStatus({ kind: 'idle' });
          }}
          onConfirm={() => {
            send(status.file);
          }}
        />
      )}
    </Stack>
  );
}

async function peekManifest(file: File) {
  if (file.size > MAX_PEEK_BYTES) return null;
  try {
    return readArchiveManifest(new Uint8Array(await file.arrayBuffer()));
  } catch {
    return null;
  }
}

interface UploadProgressBarProps {
  fileName: string;
  progress: UploadProgress;
  onCancel: () => void;
}

function UploadProgressBar({ fileName, progress, onCancel }: UploadProgressBarProps) {
  const uploading = progress.phase === 'uploading';
  const percent = uploading ? Math.round((progress.fraction ?? 0) * 100) : 100;
  const label = uploading
    ? `Uploading ${fileName}: ${progress.fraction === null ? '…' : `${percent}%`}`
    : `Installing ${fileName}: checking the archive, running migrations, starting it…`;
  return (
    <Paper withBorder radius="md" p="md">
      <Stack gap="xs">
        <Group justify="space-between" gap="sm" wrap="nowrap">
          <Text size="sm" role="status" aria-live="polite">
            {label}
          </Text>
          {uploading && (
            <Button size="xs" variant="default" onClick={onCancel}>
              Cancel upload
            </Button>
          )}
        </Group>
        <Progress.Root size="lg">
          <Progress.Section
            value={percent}
            animated={!uploading}
            aria-label={uploading ? 'Upload progress' : 'Installing'}
          />
        </Progress.Root>
      </Stack>
    </Paper>
  );
}

interface UploadFailureAlertProps {
  title: string;
  failure: UploadFailure;
  onDismiss: () => void;
}

function UploadFailureAlert({ title, failure, onDismiss }: UploadFailureAlertProps) {
  return (
    <Alert
      color="red"
      variant="light"
      role="alert"
      icon={<IconAlertCircle />}
      title={title}
      withCloseButton
      closeButtonLabel="Dismiss"
      onClose={onDismiss}
    >
      <Stack gap="xs">
        <Text size="sm">{failure.explanation}</Text>
        {failure.issues.length > 0 && (
          <List size="sm" spacing={2}>
            {failure.issues.map((issue) => (
              <List.Item key={`${issue.path}:${issue.message}`}>
                <Code>{issue.path}</Code> {issue.message}
              </List.Item>
            ))}
          </List>
        )}
        {failure.serverMessage !== null && (
          <Text size="sm">
            <Text span fw={500}>
              The server said:
            </Text>{' '}
            {failure.serverMessage}
          </Text>
        )}
        {failure.code !== null && (
          <Text size="xs" c="dimmed">
            Error code <Code>{failure.code}</Code>
          </Text>
        )}
      </Stack>
    </Alert>
  );
}

interface ConfirmUpgradeDialogProps {
  plan: Extract<UploadPlan, { kind: 'upgrade' }>;
  fileName: string;
  onCancel: () => void;
  onConfirm: () => void;
}

function ConfirmUpgradeDialog({ plan, fileName, onCancel, onConfirm }: ConfirmUpgradeDialogProps) {
  const { plugin, from, to } = plan;
  return (
    <Modal opened onClose={onCancel} title={`Upgrade ${plugin.name}?`}>
      <Stack gap="md">
        <Text fz="lg" fw={600} ta="center">
          {plugin.name} {from} → {to}
        </Text>
        <Text size="sm">
          <IconFileZip size={14} aria-hidden style={{ verticalAlign: 'middle' }} /> {fileName}{' '}
          replaces the installed version. Its data and settings are kept and its new migrations run;
          it stays {plugin.state === 'active' ? 'active' : 'as it is'}. Going back later means
          uninstalling it, data included.
        </Text>
        <Group justify="flex-end" gap="sm">
          <Button variant="default" onClick={onCancel} data-autofocus>
            Cancel
          </Button>
          <Button onClick={onConfirm}>Upgrade to {to}</Button>
        </Group>
      </Stack>
    </Modal>
  );
}
