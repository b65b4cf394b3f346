//! The `wijkmonitor` binary: a thin layer over the library. All it does is parse the
//! command line, call the library, print, and turn errors into `error:` / `hint:` lines
//! and a non-zero exit code.

mod cli;

fn main() -> std::process::ExitCode {
    cli::main()
}
