//! `wijkmonitor completions SHELL` and `wijkmonitor man`: shell completions and a man
//! page, generated from the same clap definitions as the help, so they never drift.

use std::io::Write;
use std::process::ExitCode;

#[derive(clap::Args)]
pub struct CompletionArgs {
    /// De shell: bash, zsh, fish of powershell.
    #[arg(value_enum)]
    pub shell: clap_complete::Shell,
}

/// Writes the completion script for the shell to standard output.
pub fn completions(a: &CompletionArgs) -> anyhow::Result<ExitCode> {
    let mut cmd = super::command();
    let mut out = Vec::new();
    clap_complete::generate(a.shell, &mut cmd, "wijkmonitor", &mut out);
    std::io::stdout().lock().write_all(&out)?;
    Ok(ExitCode::SUCCESS)
}

/// Writes the man page (roff) to standard output.
pub fn man() -> anyhow::Result<ExitCode> {
    let mut out = Vec::new();
    clap_mangen::Man::new(super::command()).render(&mut out)?;
    std::io::stdout().lock().write_all(&out)?;
    Ok(ExitCode::SUCCESS)
}
