//! The `errdex` binary: parses the command line and hands over to the library.

use std::process::ExitCode;

use clap::Parser;
use errdex::cli::Cli;

#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// mimalloc's `mi_option_purge_delay` (the same index in its v2 and v3).
const MI_OPTION_PURGE_DELAY: libmimalloc_sys::mi_option_t = 15;

fn main() -> ExitCode {
    let cli = Cli::parse();
    if !cli.command.runs_until_stopped() {
        // A build is one burst of allocation that ends with the process.
        // Memory mimalloc hands back to the kernel mid-build is faulted in
        // (and zeroed) again moments later, for next to no saving at the
        // peak (docs/performance.md). The long-running server keeps both
        // defaults.
        // SAFETY: sets an option of the allocator this binary links; any
        // value is valid for this option, and nothing reads it concurrently
        // this early.
        unsafe { libmimalloc_sys::mi_option_set(MI_OPTION_PURGE_DELAY, -1) };
        // Transparent huge pages: the kernel zeroes a whole huge page at
        // every first touch, which costs `check` time and a build memory
        // (docs/performance.md). mimalloc asked for them before `main`, so
        // only the process-wide switch still works.
        #[cfg(target_os = "linux")]
        // SAFETY: PR_SET_THP_DISABLE takes plain integers and touches no memory of ours.
        unsafe {
            libc::prctl(libc::PR_SET_THP_DISABLE, 1, 0, 0, 0);
        }
    }
    errdex::cli::run(cli)
}
