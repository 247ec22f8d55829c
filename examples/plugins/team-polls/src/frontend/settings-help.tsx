/** Shown in Admin → Plugins → Team polls, below the settings form the host builds. */
export function SettingsHelp() {
  return (
    <div className="tp-section" data-testid="team-polls-settings-help">
      <p className="tp-muted">
        <strong>When results are shown</strong>: “always” shows counts to everyone at once;
        “after-vote” to each person once they have voted; “after-close” to nobody until the poll
        closes. Admins always see counts, and who voted what, on the Manage polls page.
      </p>
      <p className="tp-muted">
        A lower limit of options applies to new polls only; polls already asked keep theirs.
      </p>
    </div>
  );
}
