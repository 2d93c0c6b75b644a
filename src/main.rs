//! The `errdex` binary: parses the command line and hands over to the library.

use std::process::ExitCode;

use clap::Parser;

#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    errdex::cli::run(errdex::cli::Cli::parse())
}
