//! `s75lint completions SHELL` and `s75lint man`: shell completions and manual pages, generated
//! from the same command-line definition the program parses (so they cannot drift from it).

use crate::exit::{EXIT_CLEAN, EXIT_TOOL};
use std::io::Write;
use std::path::PathBuf;

/// Arguments of `s75lint completions`.
#[derive(clap::Args, Debug)]
pub(crate) struct CompletionsArgs {
    /// The shell to complete for.
    #[arg(value_enum)]
    shell: clap_complete::Shell,
}

/// Arguments of `s75lint man`.
#[derive(clap::Args, Debug)]
pub(crate) struct ManArgs {
    /// Write one page per command (`s75lint.1`, `s75lint-check.1`, ...) into this folder
    /// instead of printing the main page.
    #[arg(long, value_name = "DIR")]
    dir: Option<PathBuf>,
}

/// Prints the completion script for a shell, for the command line `cmd` (passed in by the
/// command line itself, which this module therefore does not import).
pub(crate) fn completions(args: CompletionsArgs, mut cmd: clap::Command) -> i32 {
    // Generated into memory: clap_complete panics when its writer fails (a closed pipe).
    let mut script = Vec::new();
    clap_complete::generate(args.shell, &mut cmd, "s75lint", &mut script);
    print_or_fail(&script, "the completions")
}

/// Writes generated text to standard output; a reader that stops early (`| head`) is fine.
fn print_or_fail(text: &[u8], what: &str) -> i32 {
    let mut out = std::io::stdout().lock();
    match out.write_all(text).and_then(|()| out.flush()) {
        Ok(()) => EXIT_CLEAN,
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => EXIT_CLEAN,
        Err(e) => {
            eprintln!("error: cannot write {what}: {e}");
            EXIT_TOOL
        }
    }
}

/// Prints the manual page of the command line `cmd`, or writes every command's page into
/// `--dir`.
pub(crate) fn man(args: ManArgs, cmd: clap::Command) -> i32 {
    match &args.dir {
        Some(dir) => {
            match std::fs::create_dir_all(dir).and_then(|()| clap_mangen::generate_to(cmd, dir)) {
                Ok(()) => EXIT_CLEAN,
                Err(e) => {
                    eprintln!("error: cannot write manual pages to {}: {e}", dir.display());
                    EXIT_TOOL
                }
            }
        }
        None => {
            let mut page = Vec::new();
            match clap_mangen::Man::new(cmd).render(&mut page) {
                Ok(()) => print_or_fail(&page, "the manual page"),
                Err(e) => {
                    eprintln!("error: cannot make the manual page: {e}");
                    EXIT_TOOL
                }
            }
        }
    }
}
