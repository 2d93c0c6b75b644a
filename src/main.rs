//! The `errdex` binary: parses the command line and hands over to the library.

use std::process::ExitCode;

use clap::Parser;
use errdex::cli::{Cli, Command};

#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// mimalloc's `mi_option_purge_delay` (the same index in its v2 and v3).
const MI_OPTION_PURGE_DELAY: libmimalloc_sys::mi_option_t = 15;

fn main() -> ExitCode {
    let cli = Cli::parse();
    if !matches!(cli.command, Command::Serve { .. }) {
        // A build is one burst of allocation that ends with the process.
        // Memory mimalloc hands back to the kernel mid-build is faulted in
        // (and zeroed) again moments later: at 100,000 entries that was
        // 50,000 page faults and a tenth of the kernel time, for 1% less peak
        // memory. The long-running server keeps the default.
        // SAFETY: sets an option of the allocator this binary links; any
        // value is valid for this option, and nothing reads it concurrently
        // this early.
        unsafe { libmimalloc_sys::mi_option_set(MI_OPTION_PURGE_DELAY, -1) };
    }
    errdex::cli::run(cli)
}
